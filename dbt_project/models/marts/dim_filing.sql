with

filings as (

    select * from {{ ref('int_filings_versioned') }}

),

final as (

    select
        filing_id,
        company_id,
        is_company_identified,
        company_name,
        report_type,
        period_type,
        period_start,
        period_end,
        fiscal_year,
        currency,
        accounting_basis,
        effective_date,
        source_file,
        content_sha256,
        ingested_at,
        status,
        parse_status,
        quarantine_reasons,
        error,
        filing_key,
        version,
        is_newest_version,
        is_current_version,
        filed_order,
        parsed_at,
        parser_version,
        encoding,
        line_count,
        issue_count,

    from filings

)

select * from final
