with

source as (

    select * from {{ source('raw', 'tables') }}

),

final as (

    select
        filing_id,
        table_index,
        title,
        section,
        kind,
        start_line,
        end_line,
        coalesce(scale, 1.0) as scale,
        parent_index,

    from source

)

select * from final
