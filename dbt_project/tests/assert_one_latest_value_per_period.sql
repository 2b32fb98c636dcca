-- is_latest marks exactly one value per company, line item and period
with

facts as (

    select * from {{ ref('fct_financial_facts') }}
    where is_current_version and period_id is not null

),

final as (

    select
        company_id,
        line_item,
        period_id,
        count(*) filter (where is_latest) as latest_values,

    from facts
    group by company_id, line_item, period_id
    having count(*) filter (where is_latest) <> 1

)

select * from final
