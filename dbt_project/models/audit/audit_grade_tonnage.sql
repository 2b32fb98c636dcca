-- A grade-tonnage series (one filing, table, deposit/zone, category and cut-off basis, at
-- several cut-offs): raising the cut-off only removes material, so tonnage cannot rise, and
-- it removes the lowest-grade material of the cut-off commodity, so that commodity's grade
-- cannot fall. By-product grades may go either way and are not checked. Each instance
-- compares one cut-off with the next lower one; tolerance is the two half units.
with

estimates as (

    select * from {{ ref('stg_raw__estimates') }}
    where not is_subtotal and cutoff_value is not null and tonnage_mt is not null

),

grades as (

    select * from {{ ref('stg_raw__estimate_grades') }}

),

series as (

    select
        *,
        {{ half_unit('tonnage_half_unit', 'tonnage_mt') }} as tonnage_hu,
        -- "% CuEq" -> CuEq: the commodity the cut-off grade is of
        {{ commodity_symbol("regexp_extract(cutoff_unit, '([A-Za-z][A-Za-z0-9]*)\\s*$', 1)") }}
            as cutoff_commodity,
        lag(estimate_index) over by_cutoff as lower_estimate_index,
        lag(cutoff_value) over by_cutoff as lower_cutoff,
        lag(tonnage_mt) over by_cutoff as lower_tonnage,
        lag({{ half_unit('tonnage_half_unit', 'tonnage_mt') }}) over by_cutoff as lower_tonnage_hu,
        lag(source_line) over by_cutoff as lower_line,

    from estimates
    window by_cutoff as (
        partition by filing_id, table_index, coalesce(deposit, ''), coalesce(zone, ''), category,
            coalesce(cutoff_unit, ''), coalesce(cast(effective_date as varchar), '')
        order by cutoff_value, estimate_index
    )

),

pairs as (

    select * from series
    where lower_estimate_index is not null and cutoff_value > lower_cutoff

),

tonnage as (

    select
        'grade_tonnage_monotone' as check_name,
        filing_id,
        cast(estimate_index as varchar) || '|tonnage' as subject_key,
        {{ table_ref('table_index') }} || ' ' || coalesce(deposit, '') || coalesce(' ' || zone, '') || ' '
            || category || ', tonnage at cut-off ' || cast(cutoff_value as varchar) || ' '
            || coalesce(cutoff_unit, '') || ' vs ' || cast(lower_cutoff as varchar) as subject,
        table_index,
        source_line,
        lower_tonnage as expected,
        tonnage_mt as observed,
        tonnage_hu + lower_tonnage_hu as tolerance,
        'Mt' as unit,
        null as lower_bound,
        lower_tonnage + tonnage_hu + lower_tonnage_hu as upper_bound,
        'tonnage ' || {{ fmt('tonnage_mt', 3) }} || ' Mt at line ' || cast(source_line as varchar)
            || ' vs ' || {{ fmt('lower_tonnage', 3) }} || ' Mt at line ' || cast(lower_line as varchar)
            as detail,
    from pairs

),

grade_pairs as (

    select
        pairs.*,
        grade.commodity,
        grade.grade,
        grade.grade_unit,
        {{ half_unit('grade.grade_half_unit', 'grade.grade') }} as grade_hu,
        lower_grade.grade as lower_grade,
        {{ half_unit('lower_grade.grade_half_unit', 'lower_grade.grade') }} as lower_grade_hu,

    from pairs
    inner join grades as grade
        on grade.filing_id = pairs.filing_id
        and grade.estimate_index = pairs.estimate_index
        and grade.commodity = pairs.cutoff_commodity
    inner join grades as lower_grade
        on lower_grade.filing_id = pairs.filing_id
        and lower_grade.estimate_index = pairs.lower_estimate_index
        and lower_grade.commodity = grade.commodity
        and lower_grade.grade_unit = grade.grade_unit
    where grade.grade is not null and lower_grade.grade is not null

),

grade as (

    select
        'grade_tonnage_monotone' as check_name,
        filing_id,
        cast(estimate_index as varchar) || '|grade|' || commodity as subject_key,
        {{ table_ref('table_index') }} || ' ' || coalesce(deposit, '') || coalesce(' ' || zone, '') || ' '
            || category || ', ' || commodity || ' grade at cut-off ' || cast(cutoff_value as varchar)
            || ' ' || coalesce(cutoff_unit, '') || ' vs ' || cast(lower_cutoff as varchar) as subject,
        table_index,
        source_line,
        lower_grade as expected,
        grade as observed,
        grade_hu + lower_grade_hu as tolerance,
        grade_unit as unit,
        lower_grade - grade_hu - lower_grade_hu as lower_bound,
        null as upper_bound,
        'grade ' || {{ fmt('grade', 4) }} || ' ' || grade_unit || ' at line ' || cast(source_line as varchar)
            || ' vs ' || {{ fmt('lower_grade', 4) }} || ' at line ' || cast(lower_line as varchar) as detail,
    from grade_pairs

),

instances as (

    select * from tonnage
    union all by name
    select * from grade

),

final as (

    {{ audit_select('instances', 'mining_physics', 'warn') }}

)

select * from final
