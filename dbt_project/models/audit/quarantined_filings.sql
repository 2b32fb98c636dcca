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
        content_sha256,
        error,
        parser_version,
        parsed_at,
        ingested_at,
        is_newest_version,

    from filings
    where status = 'failed'

)

select * from final
