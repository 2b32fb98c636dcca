with

source as (

    select * from {{ source('raw', 'property_expenditures') }}

),

final as (

    select
        filing_id,
        property_index,
        property_name,
        value,
        currency,
        period_end,
        months,
        line as source_line,

    from source

)

select * from final
