{#- two models feed this test; dagster-dbt attaches a singular test to one asset (an asset
    check) only when it has one upstream node or meta.dagster.ref names it -#}
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_mineral_estimates'}}}) }}
-- contained metal should be about tonnage x grade: Mt x % / 100 x 2204.62 = Mlb,
-- Mt x g/t / 31.1035 = Moz. Printed figures are rounded (and some tables count metal on
-- another basis), so only a ratio outside 0.75 - 1.33 is flagged: it usually means a unit
-- read wrongly (koz taken for Moz) or a column shifted.
with

estimates as (

    select * from {{ ref('fct_mineral_estimates') }}

),

grades as (

    select * from {{ ref('fct_mineral_grades') }}

),

expected as (

    select
        grades.estimate_id,
        grades.commodity,
        estimates.source_line,
        estimates.tonnage_mt,
        grades.grade,
        grades.grade_unit,
        grades.contained,
        grades.contained_unit,
        case
            when grades.grade_unit = '%' and grades.contained_unit = 'Mlb'
                then estimates.tonnage_mt * grades.grade / 100 * 2204.62262
            when grades.grade_unit = 'g/t' and grades.contained_unit = 'Moz'
                then estimates.tonnage_mt * grades.grade / 31.1034768
        end as expected_contained,

    from grades
    inner join estimates
        on grades.estimate_id = estimates.estimate_id
    where grades.contained > 0 and grades.grade > 0 and estimates.tonnage_mt > 0
        -- equivalents are computed with prices and recoveries
        and grades.commodity not like '%Eq'

),

final as (

    select
        *,
        contained / expected_contained as ratio,

    from expected
    where expected_contained is not null
        and (contained / expected_contained < 0.75 or contained / expected_contained > 1.33)

)

select * from final
