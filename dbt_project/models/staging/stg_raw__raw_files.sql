with

source as (

    select * from {{ source('raw', 'raw_files') }}

),

final as (

    -- the bytes stay in raw: nothing downstream needs them
    select
        content_sha256,
        file_name,
        size_bytes,
        seen_at,
        filing_key,
        version,

    from source

)

select * from final
