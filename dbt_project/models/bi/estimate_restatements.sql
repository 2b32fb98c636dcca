with

figures as (

    select * from {{ ref('int_estimate_figures_compared') }}
    where filing_count > 1

),

filings as (

    select * from {{ ref('dim_filing') }}

),

companies as (

    select * from {{ ref('dim_company') }}

),

latest as (

    select * from figures
    where is_latest

),

final as (

    select
        latest.company_id,
        companies.company_name,
        latest.deposit,
        latest.deposit_key,
        latest.zone,
        latest.zone_key,
        latest.category,
        latest.cutoff_value,
        latest.cutoff_unit,
        latest.effective_date,
        latest.quantity,
        nullif(latest.commodity, '') as commodity,
        latest.unit,
        latest.first_value,
        latest.first_filing_id,
        first_filing.source_file as first_source_file,
        latest.first_source_line,
        latest.value as latest_value,
        latest.filing_id as latest_filing_id,
        latest_filing.source_file as latest_source_file,
        latest.source_line as latest_source_line,
        round(latest.value - latest.first_value, 9) as difference,
        latest.filing_count,
        latest.is_restated,

    from latest
    left join filings as first_filing
        on latest.first_filing_id = first_filing.filing_id
    left join filings as latest_filing
        on latest.filing_id = latest_filing.filing_id
    left join companies
        on latest.company_id = companies.company_id

)

select * from final
