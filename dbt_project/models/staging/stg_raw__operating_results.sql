with

source as (

    select * from {{ source('raw', 'operating_results') }}

),

final as (

    select
        filing_id,
        result_index,
        lower(trim(metric)) as metric,
        case
            when nullif(trim(commodity), '') is not null
                then {{ commodity_symbol("regexp_replace(trim(commodity), '[\\s_\\-]+', '', 'g')") }}
        end as commodity,
        nullif(trim(property), '') as property_name,
        scope,
        case
            when months = 0 then null
            else coalesce(period_start, {{ period_start_from_end('period_end', 'months') }})
        end as period_start,
        period_end,
        months,
        {{ period_id('period_end', 'months') }} as period_id,
        value,
        unit,
        value_as_printed,
        label,
        basis,
        source as extracted_from,
        table_index,
        column_key,
        fact_index,
        half_unit,
        line as source_line,
        page as source_page,

    from source

)

select * from final
