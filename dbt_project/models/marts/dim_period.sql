with

facts as (

    -- the periods of financial facts and of operating results: a producer's quarterly
    -- production table may be the only place a quarter is printed
    select period_id, period_start, period_end, months from {{ ref('fct_financial_facts') }}
    union all
    select period_id, period_start, period_end, months from {{ ref('fct_operating_results') }}

),

periods as (

    select
        period_id,
        min(period_start) as start_date,
        any_value(period_end) as end_date,
        any_value(months) as months,

    from facts
    where period_id is not null
    group by period_id

),

final as (

    -- a calendar (December year end) view of the period; the company's own fiscal year and
    -- quarter are on fct_financial_facts
    select
        period_id,
        start_date,
        end_date,
        months,
        months = 0 as is_instant,
        year(end_date) as fiscal_year,
        case when months = 3 then quarter(end_date) end as fiscal_quarter,

    from periods

)

select * from final
