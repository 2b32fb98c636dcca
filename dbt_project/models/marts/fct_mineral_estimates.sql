-- incremental per company: config in dbt_project.yml, shared CTEs in macros/incremental.sql
with

{{ company_batch_filings() }},

estimates as (

    select * from {{ ref('stg_raw__estimates') }}

),

tables as (

    select * from {{ ref('stg_raw__tables') }}

),

properties as (

    select * from {{ ref('dim_property') }}

),

property_aliases as (

    {{ property_aliases('properties') }}

),

batch_estimates as (

    select
        estimates.*,
        batch_filings.company_id,
        batch_filings.company_signature,
        batch_filings.is_current_version,

    from estimates
    inner join batch_filings
        on estimates.filing_id = batch_filings.filing_id

),

final as (

    select
        batch_estimates.estimate_id,
        batch_estimates.filing_id,
        batch_estimates.company_id,
        coalesce(
            deposit_exact.property_id,
            deposit_loose.property_id,
            zone_exact.property_id,
            zone_loose.property_id
        ) as property_id,
        batch_estimates.deposit,
        batch_estimates.zone,
        batch_estimates.category,
        batch_estimates.is_reserve,
        batch_estimates.is_subtotal,
        batch_estimates.cutoff_value,
        batch_estimates.cutoff_unit,
        batch_estimates.effective_date,
        batch_estimates.tonnage_mt,
        batch_estimates.reported_tonnage,
        batch_estimates.reported_tonnage_unit,
        batch_estimates.label,
        batch_estimates.other_json,
        batch_estimates.table_index,
        batch_estimates.estimate_index,
        batch_estimates.source_line,
        batch_estimates.source_page,
        -- which statement of the filing the line belongs to: a report may print several
        -- (a summary, per deposit, in-pit, historical), each under its own title
        tables.title as statement_title,
        batch_estimates.read_from,
        batch_estimates.is_historical,
        batch_estimates.is_current_version,
        batch_estimates.company_signature,
        '{{ invocation_id }}' as built_by_invocation_id,

    from batch_estimates
    left join tables
        on batch_estimates.filing_id = tables.filing_id
        and batch_estimates.table_index = tables.table_index
    {{ join_property_alias('property_aliases', 'deposit', 'batch_estimates.company_id', 'batch_estimates.deposit') }}
    {{ join_property_alias('property_aliases', 'zone', 'batch_estimates.company_id', 'batch_estimates.zone') }}

)

select * from final
