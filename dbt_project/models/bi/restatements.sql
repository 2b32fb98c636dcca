with

facts as (

    select * from {{ ref('fct_financial_facts') }}
    where is_restated

),

filings as (

    select * from {{ ref('dim_filing') }}

),

companies as (

    select * from {{ ref('dim_company') }}

),

final as (

    -- one row per filing whose value differs from the one filed before it; a filing printing
    -- a concept twice for one period yields one row (its first occurrence)
    select distinct on (facts.company_id, facts.line_item, facts.period_id, facts.filing_id)
        facts.company_id,
        companies.company_name,
        facts.line_item,
        facts.label,
        facts.period_id,
        facts.period_start,
        facts.period_end,
        facts.months,
        facts.unit,
        facts.previous_value as old_value,
        facts.previous_filing_id as old_filing_id,
        old_filing.source_file as old_source_file,
        old_filing.effective_date as old_effective_date,
        facts.value as new_value,
        facts.filing_id as new_filing_id,
        new_filing.source_file as new_source_file,
        new_filing.effective_date as new_effective_date,
        facts.value - facts.previous_value as difference,
        facts.is_latest as new_is_latest,

    from facts
    left join filings as old_filing
        on facts.previous_filing_id = old_filing.filing_id
    left join filings as new_filing
        on facts.filing_id = new_filing.filing_id
    left join companies
        on facts.company_id = companies.company_id
    order by facts.company_id, facts.line_item, facts.period_id, facts.filing_id, facts.fact_index

)

select * from final
