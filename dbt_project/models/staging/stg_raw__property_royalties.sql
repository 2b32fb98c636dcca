with

source as (

    select * from {{ source('raw', 'property_royalties') }}

),

final as (

    select
        filing_id,
        property_index,
        property_name,
        kind,
        pct,
        line as source_line,

    from source

)

select * from final
