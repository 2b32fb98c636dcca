-- A producer's operating figures against each other, within one filing (warn: the filing's
-- own figures disagree). Per filing, mine (or consolidated), commodity and period:
-- metal_balance: metal produced = ore processed x head grade x recovery x unit factor;
-- aisc_at_least_cash_cost: AISC >= cash cost;
-- operating_quarters_sum_to_year: a flow's printed quarters sum to its 12 (or 9, 6) months;
-- consolidated_equals_sum_of_mines: a consolidated flow = the sum of the mines' figures;
-- metal_sales_match_revenue: metal sold x realised price = revenue (one-metal sellers).
-- Tolerances carry the printed rounding of every figure involved (half units).
with

results as (

    select
        *,
        {{ half_unit('half_unit', 'value') }} as hu,
        coalesce(property_name, 'consolidated') as scope_name,
    from {{ ref('stg_raw__operating_results') }}
    where value is not null and period_end is not null and months is not null

),

table_figures as (

    -- one table figure per key: the first table printing it (a consolidated figure repeated
    -- in a second table of the filing is one figure here)
    select * from results
    where extracted_from = 'table'
    qualify row_number() over (
        partition by
            filing_id, coalesce(property_name, ''), metric, coalesce(commodity, ''),
            period_end, months, unit, coalesce(basis, '')
        order by table_index, result_index
    ) = 1

),

figures as (

    -- tables first; a sentence's figure only where no table prints the key
    select * from results
    qualify row_number() over (
        partition by
            filing_id, coalesce(property_name, ''), metric, coalesce(commodity, ''),
            period_end, months, unit, coalesce(basis, '')
        order by extracted_from = 'text', table_index, result_index
    ) = 1

),

flows as (

    select * from table_figures
    where metric in (
        'ore_mined', 'waste_mined', 'material_mined', 'ore_processed',
        'metal_produced', 'metal_sold', 'sustaining_capital', 'growth_capital'
    )

),

-- metal balance ----------------------------------------------------------------------------

balance_inputs as (

    -- table figures only: a sentence's grade or recovery is too often another mine's
    select
        produced.*,
        ore.value as ore_t,
        ore.hu as ore_hu,
        grade.value as grade,
        grade.unit as grade_unit,
        grade.hu as grade_hu,
        recovery.value as recovery_pct,
        recovery.hu as recovery_hu,
        {{ metal_per_ore_grade('grade.unit', 'produced.unit') }} as factor,
    from table_figures as produced
    inner join table_figures as ore
        on ore.filing_id = produced.filing_id
        and ore.property_name is not distinct from produced.property_name
        and ore.period_end = produced.period_end
        and ore.months = produced.months
        and ore.metric = 'ore_processed'
        and ore.unit = 't'
    inner join table_figures as grade
        on grade.filing_id = produced.filing_id
        and grade.property_name is not distinct from produced.property_name
        and grade.commodity = produced.commodity
        and grade.period_end = produced.period_end
        and grade.months = produced.months
        and grade.metric = 'head_grade'
    inner join table_figures as recovery
        on recovery.filing_id = produced.filing_id
        and recovery.property_name is not distinct from produced.property_name
        and recovery.commodity = produced.commodity
        and recovery.period_end = produced.period_end
        and recovery.months = produced.months
        and recovery.metric = 'recovery'
        and recovery.unit = '%'
    where produced.metric = 'metal_produced'
        and ore.value > 0 and grade.value > 0 and recovery.value > 0
    qualify row_number() over (
        partition by produced.filing_id, produced.result_index
        order by ore.result_index, grade.result_index, recovery.result_index
    ) = 1

),

balance_computed as (

    select
        *,
        ore_t * grade * recovery_pct / 100 * factor as expected_metal,
        hu + ore_t * grade * recovery_pct / 100 * factor
            * (ore_hu / ore_t + grade_hu / grade + recovery_hu / recovery_pct) as balance_tolerance,
    from balance_inputs
    where factor is not null

),

metal_balance as (

    select
        'metal_balance' as check_name,
        filing_id,
        scope_name || '|' || commodity || '|' || {{ period_id('period_end', 'months') }} || '|' || unit
            || '|' || coalesce(basis, '') as subject_key,
        {{ table_ref('table_index') }} || ' ''' || coalesce(label, '') || ''' (' || scope_name || '), '
            || commodity || ' produced ' || {{ period_id('period_end', 'months') }}
            || ' vs ore processed x head grade x recovery' as subject,
        table_index,
        source_line,
        expected_metal as expected,
        value as observed,
        balance_tolerance as tolerance,
        unit,
        expected_metal - balance_tolerance as lower_bound,
        expected_metal + balance_tolerance as upper_bound,
        cast(ore_t as bigint) || ' t x ' || cast(grade as varchar) || ' ' || grade_unit || ' x '
            || cast(recovery_pct as varchar) || ' % x ' || {{ fmt('factor', 8) }} || ' = '
            || {{ fmt('expected_metal', 1) }} || ' ' || unit || ', printed ' || cast(value as varchar)
            || ' (ratio ' || {{ fmt('value / expected_metal') }} || ')' as detail,
    from balance_computed

),

-- AISC >= cash cost --------------------------------------------------------------------------

cost_pairs as (

    select
        aisc.*,
        cash.value as cash_value,
        cash.hu as cash_hu,
        cash.source_line as cash_line,
    from figures as aisc
    inner join figures as cash
        on cash.filing_id = aisc.filing_id
        and cash.property_name is not distinct from aisc.property_name
        and cash.commodity is not distinct from aisc.commodity
        and cash.period_end = aisc.period_end
        and cash.months = aisc.months
        and cash.unit = aisc.unit
        and cash.metric = 'cash_cost'
        and (cash.basis is null or aisc.basis is null or cash.basis = aisc.basis)
    where aisc.metric = 'aisc'
    qualify row_number() over (
        partition by aisc.filing_id, aisc.result_index
        order by cash.basis is not distinct from aisc.basis desc, cash.extracted_from = 'text',
            cash.result_index
    ) = 1

),

aisc_at_least_cash_cost as (

    select
        'aisc_at_least_cash_cost' as check_name,
        filing_id,
        scope_name || '|' || coalesce(commodity, '') || '|' || {{ period_id('period_end', 'months') }}
            || '|' || unit || '|' || coalesce(basis, '') as subject_key,
        {{ table_ref('table_index') }} || ' ''' || coalesce(label, '') || ''' (' || scope_name || '), '
            || {{ period_id('period_end', 'months') }} || ' AISC vs cash cost' as subject,
        table_index,
        source_line,
        cash_value as expected,
        value as observed,
        hu + cash_hu as tolerance,
        unit,
        cash_value - hu - cash_hu as lower_bound,
        cast(null as double) as upper_bound,
        'AISC ' || cast(value as varchar) || ' at line ' || cast(source_line as varchar)
            || ' vs cash cost ' || cast(cash_value as varchar) || ' at line '
            || cast(cash_line as varchar) || ' ' || unit as detail,
    from cost_pairs

),

-- quarters sum to the year (and to nine or six months) -------------------------------------

quarter_sums as (

    select
        span.filing_id,
        span.result_index,
        count(quarter.result_index) as quarter_count,
        -- fsum(): the same total whatever order the join returns the quarters in
        fsum(quarter.value) as quarters_value,
        fsum(quarter.hu) as quarters_hu,
        array_to_string(list_sort(list_distinct(list(quarter.source_line))), ', ') as quarter_lines,
    from flows as span
    inner join flows as quarter
        on quarter.filing_id = span.filing_id
        and quarter.property_name is not distinct from span.property_name
        and quarter.metric = span.metric
        and quarter.commodity is not distinct from span.commodity
        and quarter.unit = span.unit
        and quarter.basis is not distinct from span.basis
        and quarter.months = 3
        and quarter.period_end in (
            span.period_end,
            cast(last_day(span.period_end - to_months(3)) as date),
            cast(last_day(span.period_end - to_months(6)) as date),
            cast(last_day(span.period_end - to_months(9)) as date)
        )
        and date_diff('month', quarter.period_end, span.period_end) < span.months
    where span.months in (6, 9, 12)
    group by span.filing_id, span.result_index

),

operating_quarters_sum_to_year as (

    select
        'operating_quarters_sum_to_year' as check_name,
        span.filing_id,
        span.scope_name || '|' || span.metric || '|' || coalesce(span.commodity, '') || '|'
            || {{ period_id('span.period_end', 'span.months') }} || '|' || span.unit || '|'
            || coalesce(span.basis, '') as subject_key,
        {{ table_ref('span.table_index') }} || ' ''' || coalesce(span.label, '') || ''' ('
            || span.scope_name || '), ' || cast(quarter_sums.quarter_count as varchar)
            || ' quarters vs ' || {{ period_id('span.period_end', 'span.months') }} as subject,
        span.table_index,
        span.source_line,
        span.value as expected,
        quarter_sums.quarters_value as observed,
        span.hu + quarter_sums.quarters_hu as tolerance,
        span.unit,
        span.value - span.hu - quarter_sums.quarters_hu as lower_bound,
        span.value + span.hu + quarter_sums.quarters_hu as upper_bound,
        'quarters at line(s) ' || quarter_sums.quarter_lines || ' sum to '
            || {{ fmt('quarter_sums.quarters_value', 1) }} || ', ' || cast(span.months as varchar)
            || ' months at line ' || cast(span.source_line as varchar) || ' '
            || {{ fmt('span.value', 1) }} as detail,
    from flows as span
    inner join quarter_sums
        on quarter_sums.filing_id = span.filing_id
        and quarter_sums.result_index = span.result_index
    where quarter_sums.quarter_count = span.months // 3

),

-- consolidated = sum of the mines ----------------------------------------------------------

mines_reported as (

    -- the mines a filing prints operating figures for, per period
    select filing_id, period_end, months, count(distinct property_name) as mine_count
    from table_figures
    where property_name is not null
    group by all

),

mine_sums as (

    select
        filing_id,
        metric,
        commodity,
        period_end,
        months,
        unit,
        basis,
        count(*) as mines,
        fsum(value) as mines_value,
        fsum(hu) as mines_hu,
        string_agg(property_name || ' ' || cast(value as varchar) || ' (line '
            || cast(source_line as varchar) || ')', ' + ' order by property_name) as mine_terms,
    from flows
    where property_name is not null
    group by all

),

consolidated_equals_sum_of_mines as (

    select
        'consolidated_equals_sum_of_mines' as check_name,
        consolidated.filing_id,
        consolidated.metric || '|' || coalesce(consolidated.commodity, '') || '|'
            || {{ period_id('consolidated.period_end', 'consolidated.months') }} || '|'
            || consolidated.unit || '|' || coalesce(consolidated.basis, '') as subject_key,
        {{ table_ref('consolidated.table_index') }} || ' ''' || coalesce(consolidated.label, '')
            || ''' (consolidated), ' || {{ period_id('consolidated.period_end', 'consolidated.months') }}
            || ' vs the sum of ' || cast(mine_sums.mines as varchar) || ' mine(s)' as subject,
        consolidated.table_index,
        consolidated.source_line,
        mine_sums.mines_value as expected,
        consolidated.value as observed,
        consolidated.hu + mine_sums.mines_hu as tolerance,
        consolidated.unit,
        mine_sums.mines_value - consolidated.hu - mine_sums.mines_hu as lower_bound,
        mine_sums.mines_value + consolidated.hu + mine_sums.mines_hu as upper_bound,
        'consolidated ' || cast(consolidated.value as varchar) || ' (line '
            || cast(consolidated.source_line as varchar) || ') vs ' || mine_sums.mine_terms || ' = '
            || {{ fmt('mine_sums.mines_value', 1) }} || ' ' || consolidated.unit as detail,
    from flows as consolidated
    inner join mine_sums
        on mine_sums.filing_id = consolidated.filing_id
        and mine_sums.metric = consolidated.metric
        and mine_sums.commodity is not distinct from consolidated.commodity
        and mine_sums.period_end = consolidated.period_end
        and mine_sums.months = consolidated.months
        and mine_sums.unit = consolidated.unit
        and mine_sums.basis is not distinct from consolidated.basis
    -- only where every mine the filing reports on for the period prints the figure: a sum
    -- over some of them is no total (one mine of one: a one-mine company's total is its mine)
    inner join mines_reported
        on mines_reported.filing_id = consolidated.filing_id
        and mines_reported.period_end = consolidated.period_end
        and mines_reported.months = consolidated.months
        and mines_reported.mine_count = mine_sums.mines
    where consolidated.property_name is null

),

-- metal sold x realised price = revenue --------------------------------------------------

sold_metals as (

    select filing_id, period_end, months, count(distinct commodity) as metals
    from figures
    where metric = 'metal_sold'
    group by all

),

mines_in_filing as (

    select filing_id, count(distinct property_name) as mine_count
    from results
    where property_name is not null
    group by all

),

sales as (

    -- sold and price of one scope: the consolidated pair, else a one-mine filing's mine
    select
        sold.filing_id,
        sold.scope_name,
        sold.commodity,
        sold.period_end,
        sold.months,
        sold.value as sold_value,
        sold.hu as sold_hu,
        sold.unit as sold_unit,
        sold.source_line as sold_line,
        price.value as price_value,
        price.hu as price_hu,
        price.unit as price_unit,
        price.source_line as price_line,
    from figures as sold
    inner join figures as price
        on price.filing_id = sold.filing_id
        and price.property_name is not distinct from sold.property_name
        and price.commodity = sold.commodity
        and price.period_end = sold.period_end
        and price.months = sold.months
        and price.metric = 'realised_price'
        and price.unit like '%/' || sold.unit
    inner join sold_metals
        on sold_metals.filing_id = sold.filing_id
        and sold_metals.period_end = sold.period_end
        and sold_metals.months = sold.months
        and sold_metals.metals = 1
    left join mines_in_filing
        on mines_in_filing.filing_id = sold.filing_id
    where sold.metric = 'metal_sold'
        and sold.value > 0 and price.value > 0
        and (sold.property_name is null or mines_in_filing.mine_count = 1)
    qualify row_number() over (
        partition by sold.filing_id, sold.period_end, sold.months
        order by sold.property_name is null desc, sold.extracted_from = 'text',
            price.extracted_from = 'text', sold.result_index, price.result_index
    ) = 1

),

revenue as (

    -- the filing's revenue line: its first table's figure for the period
    select
        *,
        {{ half_unit('half_unit', 'value') }} as hu,
    from {{ ref('stg_raw__facts') }}
    where concept = 'revenue' and value is not null and period_end is not null
    qualify row_number() over (
        partition by filing_id, period_end, months, unit
        order by table_index, fact_index
    ) = 1

),

sales_revenue as (

    select
        sales.*,
        revenue.value as revenue_value,
        revenue.hu as revenue_hu,
        revenue.unit as revenue_unit,
        revenue.table_index,
        revenue.source_line,
        revenue.label,
        sales.sold_value * sales.price_value as sales_value,
        revenue.hu + sales.sold_value * sales.price_value
            * (sales.sold_hu / sales.sold_value + sales.price_hu / sales.price_value) as sales_tolerance,
    from sales
    inner join revenue
        on revenue.filing_id = sales.filing_id
        and revenue.period_end = sales.period_end
        and revenue.months = sales.months
        and sales.price_unit = revenue.unit || '/' || sales.sold_unit

),

metal_sales_match_revenue as (

    select
        'metal_sales_match_revenue' as check_name,
        filing_id,
        {{ period_id('period_end', 'months') }} || '|' || revenue_unit as subject_key,
        {{ table_ref('table_index') }} || ' ''' || coalesce(label, '') || ''', '
            || {{ period_id('period_end', 'months') }} || ' vs ' || commodity || ' sold x realised price ('
            || scope_name || ')' as subject,
        table_index,
        source_line,
        sales_value as expected,
        revenue_value as observed,
        sales_tolerance as tolerance,
        revenue_unit as unit,
        sales_value - sales_tolerance as lower_bound,
        sales_value + sales_tolerance as upper_bound,
        cast(sold_value as varchar) || ' ' || sold_unit || ' (line ' || cast(sold_line as varchar)
            || ') x ' || cast(price_value as varchar) || ' ' || price_unit || ' (line '
            || cast(price_line as varchar) || ') = ' || {{ fmt('sales_value', 0) }} || ', revenue '
            || {{ fmt('revenue_value', 0) }} || ' ' || revenue_unit as detail,
    from sales_revenue

),

instances as (

    select * from metal_balance
    union all by name
    select * from aisc_at_least_cash_cost
    union all by name
    select * from operating_quarters_sum_to_year
    union all by name
    select * from consolidated_equals_sum_of_mines
    union all by name
    select * from metal_sales_match_revenue

),

final as (

    {{ audit_select('instances', 'operations', 'warn') }}

)

select * from final
