with

source as (

    select * from {{ source('raw', 'facts') }}

),

final as (

    select
        filing_id,
        fact_index,
        concept,
        label,
        section,
        table_index,
        months,
        -- an instant (a balance) has no start; a flow without a printed start gets the
        -- first day implied by its end and length
        case
            when months = 0 then null
            else coalesce(period_start, {{ period_start_from_end('period_end', 'months') }})
        end as period_start,
        period_end,
        {{ period_id('period_end', 'months') }} as period_id,
        value,
        reported_value,
        unit,
        line as source_line,
        page as source_page,
        column_key,
        coalesce(is_total, false) as is_total,
        coalesce(scale, 1.0) as scale,
        half_unit,

    from source

)

select * from final
