with

facts as (

    -- latest values only; per-share figures and share counts are not amounts of money
    select * from {{ ref('fct_financial_facts') }}
    where is_latest and regexp_full_match(unit, '[A-Z]{3}')

),

companies as (

    select * from {{ ref('dim_company') }}

),

measures as (

    -- the line items each column reads (a balance at a quarter end, or a three-month flow);
    -- where two line items feed one column, the lower priority number wins
    select * from (
        values
            ('cash', 'cash', 0, 1),
            ('working_capital', 'working_capital', 0, 1),
            ('net_income', 'net_income', 3, 1),
            ('operating_cash_flow', 'operating_cash_flow', 3, 1),
            ('exploration_spend', 'exploration_expense', 3, 1),
            ('exploration_spend', 'exploration_and_evaluation_expensed', 3, 2)
    ) as measures (measure, line_item, months, priority)

),

quarter_facts as (

    select
        facts.company_id,
        facts.period_end,
        companies.fiscal_year_end_month,
        measures.measure,
        measures.priority,
        facts.value,
        facts.unit,
        facts.filing_id,
        facts.is_derived,

    from facts
    inner join measures
        on facts.line_item = measures.line_item
        and facts.months = measures.months
    inner join companies
        on facts.company_id = companies.company_id
    -- a balance counts only at a fiscal quarter end: the last day of a month 3, 6, 9 or 12
    -- months after the fiscal year-end month
    where facts.months = 3
        or (
            facts.period_end = last_day(facts.period_end)
            and (month(facts.period_end) - companies.fiscal_year_end_month + 12) % 3 = 0
        )

),

picked as (

    select
        company_id,
        period_end,
        fiscal_year_end_month,
        measure,
        arg_min(value, priority) as value,
        arg_min(unit, priority) as unit,
        arg_min(filing_id, priority) as filing_id,
        arg_min(is_derived, priority) as is_derived,

    from quarter_facts
    group by company_id, period_end, fiscal_year_end_month, measure

),

quarters as (

    select
        company_id,
        period_end,
        {{ fiscal_year('period_end', 'fiscal_year_end_month') }} as fiscal_year,
        {{ fiscal_quarter('period_end', '3', 'fiscal_year_end_month') }} as fiscal_quarter,
        arg_min(unit, measure) as currency,
        max(value) filter (where measure = 'cash') as cash,
        max(filing_id) filter (where measure = 'cash') as cash_filing_id,
        max(value) filter (where measure = 'working_capital') as working_capital,
        max(filing_id) filter (where measure = 'working_capital') as working_capital_filing_id,
        max(value) filter (where measure = 'net_income') as net_income,
        max(filing_id) filter (where measure = 'net_income') as net_income_filing_id,
        bool_or(is_derived) filter (where measure = 'net_income') as net_income_is_derived,
        max(value) filter (where measure = 'operating_cash_flow') as operating_cash_flow,
        max(filing_id) filter (where measure = 'operating_cash_flow')
            as operating_cash_flow_filing_id,
        bool_or(is_derived) filter (where measure = 'operating_cash_flow')
            as operating_cash_flow_is_derived,
        -- expenses are negative in the marts; spend is shown as a positive amount
        -max(value) filter (where measure = 'exploration_spend') as exploration_spend,
        max(filing_id) filter (where measure = 'exploration_spend') as exploration_spend_filing_id,
        bool_or(is_derived) filter (where measure = 'exploration_spend')
            as exploration_spend_is_derived,

    from picked
    group by company_id, period_end, fiscal_year_end_month

),

burns as (

    -- burn: cash consumed in the quarter, positive when cash goes out. Operating cash flow
    -- where the quarter's is known; else the net loss as a proxy (it includes non-cash items).
    -- Exploration is expensed in what the marts hold, so it is already in both.
    select
        *,
        case
            when operating_cash_flow is not null then -operating_cash_flow
            when net_income is not null then -net_income
        end as quarterly_burn,
        case
            when operating_cash_flow is not null then 'operating_cash_flow'
            when net_income is not null then 'net_income'
        end as burn_basis,
        case
            when operating_cash_flow is not null then operating_cash_flow_is_derived
            when net_income is not null then net_income_is_derived
        end as burn_is_derived,
        fiscal_year * 4 + fiscal_quarter as quarter_number,

    from quarters

),

windowed as (

    select
        *,
        sum(quarterly_burn) over last_four as burn_last_four_quarters,
        count(quarterly_burn) over last_four as burn_quarters_known,

    from burns
    window last_four as (
        partition by company_id
        order by quarter_number
        range between 3 preceding and current row
    )

),

final as (

    select
        windowed.company_id,
        companies.company_name,
        windowed.fiscal_year,
        windowed.fiscal_quarter,
        windowed.period_end,
        windowed.currency,
        windowed.cash,
        windowed.cash_filing_id,
        windowed.working_capital,
        windowed.working_capital_filing_id,
        windowed.net_income,
        coalesce(windowed.net_income_is_derived, false) as net_income_is_derived,
        windowed.net_income_filing_id,
        windowed.operating_cash_flow,
        coalesce(windowed.operating_cash_flow_is_derived, false) as operating_cash_flow_is_derived,
        windowed.operating_cash_flow_filing_id,
        windowed.exploration_spend,
        coalesce(windowed.exploration_spend_is_derived, false) as exploration_spend_is_derived,
        windowed.exploration_spend_filing_id,
        windowed.quarterly_burn,
        windowed.burn_basis,
        coalesce(windowed.burn_is_derived, false) as burn_is_derived,
        case
            when windowed.burn_quarters_known = 4 then windowed.burn_last_four_quarters
        end as burn_last_four_quarters,
        case
            when windowed.burn_quarters_known = 4 then windowed.burn_last_four_quarters / 12
        end as average_monthly_burn,
        case
            when windowed.burn_quarters_known = 4
                and windowed.burn_last_four_quarters > 0
                and windowed.working_capital is not null
                then windowed.working_capital / (windowed.burn_last_four_quarters / 12)
        end as runway_months,

    from windowed
    left join companies
        on windowed.company_id = companies.company_id

)

select * from final
