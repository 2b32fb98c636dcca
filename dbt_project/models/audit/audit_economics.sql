-- Study economics (PEA/PFS/FS) that contradict the arithmetic of a discounted cash flow:
-- a conventional mining cash flow (capital first, then income) has an NPV that falls as the
-- discount rate rises and rises with the metal price deck (low < base < high); an IRR is a
-- percentage between 0 and 100; a payback is a positive number of years. A series is one
-- filing, table (or the text), study, subject, pre/after tax, unit and scenario.
with

economics as (

    select
        *,
        {{ half_unit('null', 'value') }} as value_hu,
        coalesce(cast(table_index as varchar), 'text') || '|' || coalesce(study_type, '') || '|'
            || coalesce(property_name, '') || '|' || coalesce(cast(pre_tax as varchar), '') || '|'
            || coalesce(unit, '') as series_key,
    from {{ ref('stg_raw__economics') }}
    where value is not null

),

npvs as (

    select * from economics where metric = 'npv' and discount_rate_pct is not null

),

by_rate as (

    select
        *,
        lag(value) over by_discount as lower_rate_value,
        lag(value_hu) over by_discount as lower_rate_hu,
        lag(discount_rate_pct) over by_discount as lower_rate,
        lag(source_line) over by_discount as lower_rate_line,
    from npvs
    window by_discount as (
        partition by filing_id, series_key, coalesce(scenario, '')
        order by discount_rate_pct, metric_index
    )

),

npv_falls as (

    select
        'npv_falls_with_discount_rate' as check_name,
        filing_id,
        cast(metric_index as varchar) as subject_key,
        {{ table_ref('table_index') }} || ' ' || coalesce(study_type || ' ', '') || 'NPV '
            || coalesce(scenario, '') || ' at ' || cast(discount_rate_pct as varchar) || '% vs '
            || cast(lower_rate as varchar) || '%' as subject,
        table_index,
        source_line,
        lower_rate_value as expected,
        value as observed,
        value_hu + lower_rate_hu as tolerance,
        unit,
        null as lower_bound,
        lower_rate_value + value_hu + lower_rate_hu as upper_bound,
        'NPV ' || {{ fmt('value', 2) }} || ' at ' || cast(discount_rate_pct as varchar) || '% (line '
            || cast(source_line as varchar) || ') vs ' || {{ fmt('lower_rate_value', 2) }} || ' at '
            || cast(lower_rate as varchar) || '% (line ' || cast(lower_rate_line as varchar) || ')' as detail,
    from by_rate
    where lower_rate is not null and discount_rate_pct > lower_rate

),

decks as (

    select
        *,
        case scenario when 'low' then 1 when 'base' then 2 when 'high' then 3 end as deck_rank,
    from npvs
    where scenario in ('low', 'base', 'high')

),

by_deck as (

    select
        *,
        lag(value) over by_price as lower_deck_value,
        lag(value_hu) over by_price as lower_deck_hu,
        lag(scenario) over by_price as lower_deck,
        lag(deck_rank) over by_price as lower_deck_rank,
    from decks
    window by_price as (
        partition by filing_id, series_key, discount_rate_pct
        order by deck_rank, metric_index
    )

),

npv_rises as (

    select
        'npv_rises_with_price_deck' as check_name,
        filing_id,
        cast(metric_index as varchar) as subject_key,
        {{ table_ref('table_index') }} || ' ' || coalesce(study_type || ' ', '') || 'NPV at '
            || cast(discount_rate_pct as varchar) || '%, ' || scenario || ' vs ' || lower_deck || ' price deck'
            as subject,
        table_index,
        source_line,
        lower_deck_value as expected,
        value as observed,
        value_hu + lower_deck_hu as tolerance,
        unit,
        lower_deck_value - value_hu - lower_deck_hu as lower_bound,
        null as upper_bound,
        'NPV ' || {{ fmt('value', 2) }} || ' (' || scenario || ') vs ' || {{ fmt('lower_deck_value', 2) }}
            || ' (' || lower_deck || ')' as detail,
    from by_deck
    where lower_deck_rank is not null and deck_rank > lower_deck_rank

),

irr_range as (

    select
        'irr_range' as check_name,
        filing_id,
        cast(metric_index as varchar) as subject_key,
        {{ table_ref('table_index') }} || ' ' || coalesce(study_type || ' ', '') || 'IRR '
            || coalesce(scenario, '') as subject,
        table_index,
        source_line,
        null as expected,
        value as observed,
        0 as tolerance,
        unit,
        0 as lower_bound,
        100 as upper_bound,
        'IRR ' || {{ fmt('value', 2) }} || ' ' || coalesce(unit, '') || ', allowed 0 to 100 %' as detail,
    from economics
    where metric = 'irr' and coalesce(unit, '%') = '%'

),

payback_positive as (

    -- bounds are inclusive: the lower one is half a printed unit, so a printed 0 fails
    select
        'payback_positive' as check_name,
        filing_id,
        cast(metric_index as varchar) as subject_key,
        {{ table_ref('table_index') }} || ' ' || coalesce(study_type || ' ', '') || 'payback '
            || coalesce(scenario, '') as subject,
        table_index,
        source_line,
        null as expected,
        value as observed,
        0 as tolerance,
        unit,
        greatest(value_hu, 1e-9) as lower_bound,
        null as upper_bound,
        'payback ' || {{ fmt('value', 2) }} || ' ' || coalesce(unit, '') || ', must be positive' as detail,
    from economics
    where metric = 'payback'

),

instances as (

    select * from npv_falls
    union all by name
    select * from npv_rises
    union all by name
    select * from irr_range
    union all by name
    select * from payback_positive

),

final as (

    {{ audit_select('instances', 'economics', 'warn') }}

)

select * from final
