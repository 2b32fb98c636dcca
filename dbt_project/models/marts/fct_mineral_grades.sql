-- incremental per company: config in dbt_project.yml, shared CTEs in macros/incremental.sql
with

{{ company_batch_filings() }},

grades as (

    select * from {{ ref('stg_raw__estimate_grades') }}

),

final as (

    select
        grades.estimate_id,
        grades.commodity,
        grades.grade,
        grades.grade_unit,
        grades.contained,
        grades.contained_unit,
        grades.reported_grade,
        grades.reported_grade_unit,
        grades.reported_contained,
        grades.reported_contained_unit,
        grades.commodity_class,
        grades.is_precious,
        grades.filing_id,
        batch_filings.company_id,
        batch_filings.is_current_version,
        batch_filings.company_signature,
        '{{ invocation_id }}' as built_by_invocation_id,

    from grades
    inner join batch_filings
        on grades.filing_id = batch_filings.filing_id

)

select * from final
