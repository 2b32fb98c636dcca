with

issues as (

    select * from {{ ref('stg_raw__issues') }}

),

filings as (

    select * from {{ ref('int_filings_versioned') }}

),

final as (

    select
        md5(issues.filing_id || '|' || cast(issues.issue_index as varchar)) as issue_id,
        issues.filing_id,
        filings.company_id,
        filings.company_name,
        filings.source_file,
        filings.filing_key,
        filings.version,
        filings.is_current_version,
        issues.issue_index,
        issues.source_line,
        issues.kind,
        issues.reason,
        issues.text,
        issues.table_index,

    from issues
    left join filings
        on issues.filing_id = filings.filing_id

)

select * from final
