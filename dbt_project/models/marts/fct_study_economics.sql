with

filings as (

    select * from {{ ref('int_filings_versioned') }}
    where status = 'parsed' and company_id is not null

),

economics as (

    select * from {{ ref('stg_raw__economics') }}

),

properties as (

    select * from {{ ref('dim_property') }}

),

property_aliases as (

    {{ property_aliases('properties') }}

),

joined as (

    select
        economics.*,
        filings.company_id,
        filings.is_current_version,

    from economics
    inner join filings
        on economics.filing_id = filings.filing_id

),

final as (

    select
        md5(joined.filing_id || '|' || cast(joined.metric_index as varchar)) as metric_id,
        joined.filing_id,
        joined.company_id,
        coalesce(subject_exact.property_id, subject_loose.property_id) as property_id,
        joined.property_name,
        joined.study_type,
        joined.scenario,
        joined.metric,
        joined.discount_rate_pct,
        joined.commodity,
        joined.value,
        joined.unit,
        joined.pre_tax,
        joined.extracted_from,
        joined.table_index,
        joined.metric_index,
        joined.source_line,
        joined.source_page,
        joined.is_current_version,

    from joined
    {{ join_property_alias('property_aliases', 'subject', 'joined.company_id', 'joined.property_name') }}

)

select * from final
