with

source as (

    select * from {{ source('raw', 'issues') }}

),

final as (

    select
        filing_id,
        issue_index,
        line as source_line,
        kind,
        reason,
        text,
        table_index,

    from source

)

select * from final
