-- Contained metal = tonnage x grade x unit factor (Mt x % -> Mlb, Mt x g/t -> Moz). The
-- tolerance propagates the printed rounding: the contained figure's half unit plus
-- |t.g.f| x (t_hu / t + g_hu / g). Equivalents are left out: they are computed with prices
-- and recoveries, not counted. Replaces tests/assert_contained_metal_matches_tonnage_and_grade.
with

estimates as (

    select * from {{ ref('stg_raw__estimates') }}

),

grades as (

    select * from {{ ref('stg_raw__estimate_grades') }}

),

joined as (

    select
        grades.filing_id,
        grades.estimate_index,
        grades.commodity,
        estimates.table_index,
        estimates.source_line,
        estimates.label,
        estimates.category,
        estimates.tonnage_mt,
        {{ half_unit('estimates.tonnage_half_unit', 'estimates.tonnage_mt') }} as tonnage_hu,
        grades.grade,
        grades.grade_unit,
        {{ half_unit('grades.grade_half_unit', 'grades.grade') }} as grade_hu,
        grades.contained,
        grades.contained_unit,
        {{ half_unit('grades.contained_half_unit', 'grades.contained') }} as contained_hu,
        {{ contained_per_grade_tonnage('grades.grade_unit', 'grades.contained_unit') }} as factor,

    from grades
    inner join estimates
        on grades.filing_id = estimates.filing_id
        and grades.estimate_index = estimates.estimate_index
    where grades.contained > 0 and grades.grade > 0 and estimates.tonnage_mt > 0
        and grades.commodity not like '%Eq'

),

computed as (

    select
        *,
        tonnage_mt * grade * factor as expected,
        contained_hu + abs(tonnage_mt * grade * factor) * (tonnage_hu / tonnage_mt + grade_hu / grade)
            as tolerance,

    from joined
    where factor is not null

),

instances as (

    select
        'contained_metal' as check_name,
        filing_id,
        cast(estimate_index as varchar) || '|' || commodity as subject_key,
        {{ table_ref('table_index') }} || ' ''' || coalesce(label, '') || ''' ' || category || ', '
            || commodity || ' contained' as subject,
        table_index,
        source_line,
        expected,
        contained as observed,
        tolerance,
        contained_unit as unit,
        expected - tolerance as lower_bound,
        expected + tolerance as upper_bound,
        'ratio ' || {{ fmt('contained / expected') }} || ' = ' || cast(contained as varchar) || ' '
            || contained_unit || ' / (' || cast(tonnage_mt as varchar) || ' Mt x ' || cast(grade as varchar)
            || ' ' || grade_unit || ' x ' || {{ fmt('factor', 6) }} || ')' as detail,
    from computed

),

final as (

    {{ audit_select('instances', 'mining_physics', 'warn') }}

)

select * from final
