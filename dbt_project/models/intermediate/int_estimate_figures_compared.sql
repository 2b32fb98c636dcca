-- Ephemeral, unlike the rest of this layer: the BI views that read it are re-created in the
-- published file, which holds marts, audit and bi only, so it is inlined into them. No
-- "* EXCLUDE (a, b)": DuckDB stores such a view's SQL with the columns in an order that varies
-- from one process to the next, and the publish signature compares view SQL.
{{ config(materialized='ephemeral') }}

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

lines as (

    select
        estimates.estimate_id,
        estimates.filing_id,
        filings.filed_order,
        estimates.company_id,
        estimates.property_id,
        estimates.deposit,
        coalesce({{ property_match_key('estimates.deposit') }}, '') as deposit_key,
        estimates.zone,
        coalesce({{ property_match_key('estimates.zone') }}, '') as zone_key,
        estimates.category,
        estimates.is_reserve,
        estimates.is_subtotal,
        estimates.cutoff_value,
        estimates.cutoff_unit,
        coalesce(
            cast(estimates.cutoff_value as varchar) || ' ' || coalesce(estimates.cutoff_unit, ''),
            ''
        ) as cutoff_key,
        estimates.effective_date,
        estimates.estimate_index,
        estimates.source_line,

    from estimates
    inner join filings
        on estimates.filing_id = filings.filing_id

),

figures as (

    select
        lines.*,
        'tonnage' as quantity,
        '' as commodity,
        tonnages.tonnage_mt as value,
        'Mt' as unit,
        tonnages.reported_tonnage as reported_value,

    from lines
    inner join estimates as tonnages
        on lines.estimate_id = tonnages.estimate_id
    where tonnages.tonnage_mt is not null

    union all

    select
        lines.*,
        'grade' as quantity,
        grades.commodity,
        grades.grade as value,
        grades.grade_unit as unit,
        grades.reported_grade as reported_value,

    from lines
    inner join grades
        on lines.estimate_id = grades.estimate_id
    where grades.grade is not null

    union all

    select
        lines.*,
        'contained' as quantity,
        grades.commodity,
        grades.contained as value,
        grades.contained_unit as unit,
        grades.reported_contained as reported_value,

    from lines
    inner join grades
        on lines.estimate_id = grades.estimate_id
    where grades.contained is not null

),

per_filing as (

    -- a filing's own value of a figure: its first printing (a report may repeat a line in a
    -- summary and a per-deposit table)
    select
        *,
        -- half a unit in the last printed decimal, in the warehouse's unit: 63.2 Mt printed
        -- again as 63.24 is the same figure, as 63.3 is not
        case
            when reported_value is not null and reported_value <> 0
                then 0.5 * pow(
                    10,
                    -length(regexp_extract(cast(abs(reported_value) as varchar), '\.(\d*?)0*$', 1))
                ) * abs(value / reported_value)
            else 1e-9 * greatest(1.0, abs(value))
        end as rounding,

    from figures
    qualify row_number() over (
        partition by
            company_id, deposit_key, zone_key, category, cutoff_key, effective_date, quantity,
            commodity, filing_id
        order by estimate_index
    ) = 1

),

compared as (

    select
        *,
        lag(value) over by_filing as previous_value,
        lag(filing_id) over by_filing as previous_filing_id,
        lag(rounding) over by_filing as previous_rounding,
        first_value(value) over by_filing as first_value,
        first_value(filing_id) over by_filing as first_filing_id,
        first_value(source_line) over by_filing as first_source_line,
        row_number() over by_filing = count(*) over figure as is_latest,
        count(*) over figure as filing_count,

    from per_filing
    window
        figure as (
            partition by
                company_id, deposit_key, zone_key, category, cutoff_key, effective_date,
                quantity, commodity
        ),
        by_filing as (figure order by filed_order)

),

changes as (

    select
        *,
        -- this printing differs from the one before it beyond the coarser rounding
        coalesce(
            abs(value - previous_value) > greatest(rounding, previous_rounding),
            false
        ) as differs_from_previous,

    from compared

),

final as (

    select
        *,
        bool_or(differs_from_previous) over (
            partition by
                company_id, deposit_key, zone_key, category, cutoff_key, effective_date,
                quantity, commodity
        ) as is_restated,

    from changes

)

select * from final
