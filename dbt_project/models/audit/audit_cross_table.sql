-- Within one filing: the same line item and period printed in two tables must agree
-- (same_value_across_tables); four printed quarters of a fiscal year add up to the printed
-- year for currency flows (quarters_sum_to_year); a per-share figure equals the amount over
-- the weighted average shares where the filing prints both (per_share_amount). Tolerances
-- are the half units of the figures compared. Operating results (ore, metal, unit costs) are
-- left to audit_operating.
with

operating_facts as (

    -- a table figure that is an operating result (a mine's or the consolidated ore, metal,
    -- costs): checked by audit_operating, where a mine's table and the consolidated table
    -- printing the same label are two figures, not one printed twice
    select filing_id, fact_index
    from {{ ref('stg_raw__operating_results') }}
    where fact_index is not null

),

facts as (

    select
        facts.*,
        {{ half_unit('facts.half_unit', 'facts.value') }} as hu,
    from {{ ref('stg_raw__facts') }} as facts
    anti join operating_facts
        on facts.filing_id = operating_facts.filing_id
        and facts.fact_index = operating_facts.fact_index
    where facts.period_end is not null and facts.value is not null

),

per_table as (

    -- a table's own figure for a key: its first occurrence
    select * from facts
    qualify row_number() over (
        partition by filing_id, table_index, concept, period_end, months, unit
        order by fact_index
    ) = 1

),

per_filing as (

    select * from per_table
    qualify row_number() over (
        partition by filing_id, concept, period_end, months, unit
        order by table_index, fact_index
    ) = 1

),

same_value as (

    -- each other table against the first table printing the key
    select
        'same_value_across_tables' as check_name,
        other.filing_id,
        other.concept || '|' || {{ period_id('other.period_end', 'other.months') }} || '|' || other.unit
            || '|' || cast(other.table_index as varchar) as subject_key,
        {{ table_ref('other.table_index') }} || ' ''' || coalesce(other.label, '') || ''' vs '
            || {{ table_ref('first.table_index') }} || ' ''' || coalesce(first.label, '') || ''', '
            || other.concept || ' ' || {{ period_id('other.period_end', 'other.months') }} as subject,
        other.table_index,
        other.source_line,
        first.value as expected,
        other.value as observed,
        first.hu + other.hu as tolerance,
        other.unit,
        first.value - first.hu - other.hu as lower_bound,
        first.value + first.hu + other.hu as upper_bound,
        {{ fmt('other.value', 4) }} || ' at line ' || cast(other.source_line as varchar) || ' vs '
            || {{ fmt('first.value', 4) }} || ' at line ' || cast(first.source_line as varchar) as detail,
    from per_table as other
    inner join per_filing as first
        on other.filing_id = first.filing_id
        and other.concept = first.concept
        and other.period_end = first.period_end
        and other.months = first.months
        and other.unit = first.unit
        and other.table_index is distinct from first.table_index

),

years as (

    select * from per_filing
    where months = 12 and regexp_full_match(unit, '[A-Z]{3}')

),

quarters as (

    select
        years.filing_id,
        years.concept,
        years.period_end,
        years.unit,
        count(quarter.fact_index) as quarter_count,
        -- fsum(): the same total whatever order the join returns the quarters in
        fsum(quarter.value) as quarters_value,
        fsum(quarter.hu) as quarters_hu,
        array_to_string(list_sort(list_distinct(list(quarter.source_line))), ', ') as quarter_lines,
    from years
    inner join per_filing as quarter
        on quarter.filing_id = years.filing_id
        and quarter.concept = years.concept
        and quarter.unit = years.unit
        and quarter.months = 3
        and quarter.period_end in (
            years.period_end,
            cast(last_day(years.period_end - to_months(3)) as date),
            cast(last_day(years.period_end - to_months(6)) as date),
            cast(last_day(years.period_end - to_months(9)) as date)
        )
    group by years.filing_id, years.concept, years.period_end, years.unit

),

quarters_sum as (

    select
        'quarters_sum_to_year' as check_name,
        years.filing_id,
        years.concept || '|' || {{ period_id('years.period_end', 'years.months') }} || '|' || years.unit as subject_key,
        {{ table_ref('years.table_index') }} || ' ''' || coalesce(years.label, '') || ''' ('
            || years.concept || '), four quarters vs ' || {{ period_id('years.period_end', 'years.months') }}
            as subject,
        years.table_index,
        years.source_line,
        years.value as expected,
        quarters.quarters_value as observed,
        years.hu + quarters.quarters_hu as tolerance,
        years.unit,
        years.value - years.hu - quarters.quarters_hu as lower_bound,
        years.value + years.hu + quarters.quarters_hu as upper_bound,
        'quarters at line(s) ' || quarters.quarter_lines || ' sum to ' || {{ fmt('quarters.quarters_value', 2) }}
            || ', year at line ' || cast(years.source_line as varchar) || ' ' || {{ fmt('years.value', 2) }}
            as detail,
    from years
    inner join quarters
        on years.filing_id = quarters.filing_id
        and years.concept = quarters.concept
        and years.period_end = quarters.period_end
        and years.unit = quarters.unit
    where quarters.quarter_count = 4

),

per_share as (

    select * from per_filing where concept = 'net_income_per_share'

),

weighted_shares as (

    -- the weighted average share count the per-share figure divides by, table or prose
    select filing_id, period_end, months, value, hu, source_line
    from per_filing
    where unit = 'shares' and concept like '%weighted_average%'
    union all
    select
        filing_id,
        period_end,
        months,
        value,
        {{ half_unit('half_unit', 'value') }} as hu,
        source_line,
    from {{ ref('stg_raw__narrative_facts') }}
    where unit = 'shares' and concept like '%weighted_average%' and period_end is not null

),

per_share_inputs as (

    select
        per_share.*,
        income.value as income_value,
        income.hu as income_hu,
        income.source_line as income_line,
        shares.value as shares_value,
        shares.hu as shares_hu,
        shares.source_line as shares_line,
    from per_share
    inner join per_filing as income
        on income.filing_id = per_share.filing_id
        and income.concept = 'net_income'
        and income.period_end = per_share.period_end
        and income.months = per_share.months
        and per_share.unit = income.unit || '/share'
    inner join weighted_shares as shares
        on shares.filing_id = per_share.filing_id
        and shares.period_end = per_share.period_end
        and shares.months = per_share.months
    where shares.value > 0
    qualify row_number() over (partition by per_share.filing_id, per_share.fact_index order by shares.source_line) = 1

),

per_share_amount as (

    -- amount / shares, with the relative rounding of both carried into the quotient
    select
        'per_share_amount' as check_name,
        filing_id,
        {{ period_id('period_end', 'months') }} || '|' || unit as subject_key,
        {{ table_ref('table_index') }} || ' ''' || coalesce(label, '') || ''', '
            || {{ period_id('period_end', 'months') }} || ' vs net income / weighted average shares'
            as subject,
        table_index,
        source_line,
        income_value / shares_value as expected,
        value as observed,
        hu + abs(income_value / shares_value) * (income_hu / greatest(abs(income_value), 1e-9) + shares_hu / shares_value)
            as tolerance,
        unit,
        income_value / shares_value
            - (hu + abs(income_value / shares_value) * (income_hu / greatest(abs(income_value), 1e-9) + shares_hu / shares_value))
            as lower_bound,
        income_value / shares_value
            + (hu + abs(income_value / shares_value) * (income_hu / greatest(abs(income_value), 1e-9) + shares_hu / shares_value))
            as upper_bound,
        'net income ' || {{ fmt('income_value', 0) }} || ' (line ' || cast(income_line as varchar) || ') / '
            || {{ fmt('shares_value', 0) }} || ' shares (line ' || cast(shares_line as varchar) || ') = '
            || {{ fmt('income_value / shares_value', 4) }} as detail,
    from per_share_inputs

),

instances as (

    select * from same_value
    union all by name
    select * from quarters_sum
    union all by name
    select * from per_share_amount

),

final as (

    {{ audit_select('instances', 'within_filing', 'warn') }}

)

select * from final
