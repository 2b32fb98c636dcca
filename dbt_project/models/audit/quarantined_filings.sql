with

filings as (

    select * from {{ ref('int_filings_versioned') }}

),

final as (

    select
        filing_id,
        filing_key,
        version,
        source_file,
        company_name,
        content_sha256,
        parse_status,
        quarantine_reasons,
        error,
        parser_version,
        parsed_at,
        ingested_at,
        is_newest_version,

    from filings
    where status = 'quarantined'

)

select * from final
