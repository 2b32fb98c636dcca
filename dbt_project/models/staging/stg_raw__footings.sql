with

source as (

    select * from {{ source('raw', 'footings') }}

),

final as (

    select
        filing_id,
        footing_index,
        table_index,
        column_key,
        line as source_line,
        label,
        kind,
        expected,
        observed,
        tolerance,
        terms,
        component_lines as component_lines_json,
        unit,

    from source

)

select * from final
