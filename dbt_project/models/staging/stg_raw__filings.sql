with

source as (

    select * from {{ source('raw', 'filings') }}

),

final as (

    select
        filing_id,
        -- a row written before versions were recorded is its own filing, version 1
        coalesce(filing_key, filing_id) as filing_key,
        coalesce(version, 1) as version,
        status,
        error,
        source_file,
        parsed_at,
        parser_version,
        nullif(trim(company_name), '') as company_name,
        {{ company_id('company_name') }} as company_id,
        report_type,
        period_type,
        period_start,
        period_end,
        fiscal_year,
        upper(currency) as currency,
        accounting_basis,
        effective_date,
        coalesce(content_sha256, filing_id) as content_sha256,
        tickers as tickers_json,
        encoding,
        line_count,
        issue_count,
        resources_inclusive,
        coalesce(source_format, 'text') as source_format,
        page_count,
        -- how each field was found: text, sidecar, edgar_header, cover_page or file_name
        -- (inferred from the file's name, as a last resort)
        metadata_sources as metadata_sources_json,
        json_extract_string(metadata_sources, '$.company_name') as company_name_source,
        json_extract_string(metadata_sources, '$.period_end') as period_end_source,
        json_extract_string(metadata_sources, '$.report_type') as report_type_source,
        json_extract_string(metadata_sources, '$.currency') as currency_source,
        sidecar_sha256,

    from source

)

select * from final
