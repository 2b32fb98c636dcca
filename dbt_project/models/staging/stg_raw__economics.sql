with

source as (

    select * from {{ source('raw', 'economics') }}

),

final as (

    select
        filing_id,
        metric_index,
        upper(nullif(trim(study_type), '')) as study_type,
        nullif(trim(property), '') as property_name,
        lower(nullif(trim(scenario), '')) as scenario,
        lower(trim(metric)) as metric,
        value,
        unit,
        discount_rate_pct,
        case
            when nullif(trim(commodity), '') is not null
                then {{ commodity_symbol("regexp_replace(trim(commodity), '[\\s_\\-]+', '', 'g')") }}
        end as commodity,
        pre_tax,
        source as extracted_from,
        table_index,
        line as source_line,
        page as source_page,

    from source

)

select * from final
