{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='company_id',
        on_schema_change='sync_all_columns',
        post_hook="{{ prune_stale_companies() }}",
    )
}}

with

filings as (

    select * from {{ ref('int_filings_versioned') }}
    where status = 'parsed' and company_id is not null

),

grades as (

    select * from {{ ref('stg_raw__estimate_grades') }}

),

batch as (

    {{ changed_companies('filings') }}

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
        grades.is_precious,
        grades.filing_id,
        filings.company_id,
        filings.is_current_version,
        filings.company_signature,
        '{{ invocation_id }}' as built_by_invocation_id,

    from grades
    inner join filings
        on grades.filing_id = filings.filing_id
    where filings.company_id in (select company_id from batch)

)

select * from final
