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
        source_format,
        page_count,
        company_name_source,
        period_end_source,
        report_type_source,
        currency_source,
        metadata_sources_json,
        coalesce(list_contains(
            [company_name_source, period_end_source, report_type_source, currency_source],
            'file_name'
        ), false) as has_inferred_metadata,
        sidecar_sha256 is not null as has_sidecar,

    from filings

)

select * from final
