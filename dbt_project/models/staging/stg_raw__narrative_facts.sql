with

source as (

    select * from {{ source('raw', 'narrative_facts') }}

),

final as (

    select
        filing_id,
        fact_index,
        concept,
        value,
        unit,
        period_end,
        months,
        subject,
        text,
        line as source_line,
        page as source_page,
        half_unit,
        qualifiers as qualifiers_json,

    from source

)

select * from final
