with

source as (

    select * from {{ source('raw', 'properties') }}

),

final as (

    select
        filing_id,
        property_index,
        trim(name) as property_name,
        {{ property_key('name') }} as property_key,
        lower(trim(kind)) as property_kind,
        nullif(trim(parent), '') as parent_name,
        {{ property_key('parent') }} as parent_key,
        country,
        region,
        interest_pct,
        hectares,
        claims,
        line as source_line,
        page as source_page,

    from source

)

select * from final
