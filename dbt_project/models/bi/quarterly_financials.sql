with

facts as (

    select * from {{ ref('fct_financial_facts') }}
    where is_latest and months in (3, 12)

),

companies as (

    select * from {{ ref('dim_company') }}

),

final as (

    select
        facts.company_id,
        companies.company_name,
        facts.line_item,
        facts.fiscal_year,
        facts.unit,
        max(facts.value) filter (where facts.months = 3 and facts.fiscal_quarter = 1) as q1,
        max(facts.value) filter (where facts.months = 3 and facts.fiscal_quarter = 2) as q2,
        max(facts.value) filter (where facts.months = 3 and facts.fiscal_quarter = 3) as q3,
        max(facts.value) filter (where facts.months = 3 and facts.fiscal_quarter = 4) as q4,
        max(facts.value) filter (where facts.months = 12) as fy,
        coalesce(bool_or(facts.is_derived) filter (where facts.months = 3 and facts.fiscal_quarter = 4), false)
            as q4_is_derived,
        max(facts.label) as label,

    from facts
    left join companies
        on facts.company_id = companies.company_id
    group by facts.company_id, companies.company_name, facts.line_item, facts.fiscal_year, facts.unit

)

select * from final
