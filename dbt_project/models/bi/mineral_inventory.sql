with

estimates as (

    select * from {{ ref('fct_mineral_estimates') }}
    where is_current_version and not is_historical

),

grades as (

    select * from {{ ref('fct_mineral_grades') }}
    where is_current_version

),

filings as (

    select * from {{ ref('dim_filing') }}

),

companies as (

    select * from {{ ref('dim_company') }}

),

properties as (

    select * from {{ ref('dim_property') }}

),

wide_grades as (

    select
        estimate_id,
        max(grade) filter (where commodity = 'Cu') as cu_pct,
        max(contained) filter (where commodity = 'Cu') as cu_mlb,
        max(grade) filter (where commodity = 'Au') as au_gpt,
        max(contained) filter (where commodity = 'Au') as au_moz,
        max(grade) filter (where commodity = 'Ag') as ag_gpt,
        max(contained) filter (where commodity = 'Ag') as ag_moz,
        max(grade) filter (where commodity = 'Mo') as mo_pct,
        max(contained) filter (where commodity = 'Mo') as mo_mlb,
        max(grade) filter (where commodity = 'CuEq') as cueq_pct,

    from grades
    group by estimate_id

),

final as (

    select
        estimates.estimate_id,
        estimates.company_id,
        companies.company_name,
        estimates.filing_id,
        filings.period_end as filing_period_end,
        estimates.property_id,
        properties.property_name,
        estimates.deposit,
        estimates.zone,
        estimates.category,
        estimates.is_reserve,
        estimates.is_subtotal,
        estimates.effective_date,
        estimates.cutoff_value,
        estimates.cutoff_unit,
        estimates.tonnage_mt,
        wide_grades.cu_pct,
        wide_grades.cu_mlb,
        wide_grades.au_gpt,
        wide_grades.au_moz,
        wide_grades.ag_gpt,
        wide_grades.ag_moz,
        wide_grades.mo_pct,
        wide_grades.mo_mlb,
        wide_grades.cueq_pct,
        estimates.source_line,

    from estimates
    left join wide_grades
        on estimates.estimate_id = wide_grades.estimate_id
    left join filings
        on estimates.filing_id = filings.filing_id
    left join companies
        on estimates.company_id = companies.company_id
    left join properties
        on estimates.property_id = properties.property_id

)

select * from final
