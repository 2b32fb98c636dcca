with

source as (

    select * from {{ source('raw', 'equivalence_terms') }}

),

final as (

    select
        filing_id,
        formula_index,
        {{ commodity_symbol("regexp_replace(trim(commodity), '[\\s_\\-]+', '', 'g')") }} as commodity,
        unit,
        intercept,
        {{ commodity_symbol("regexp_replace(trim(term_commodity), '[\\s_\\-]+', '', 'g')") }}
            as term_commodity,
        term_unit,
        coefficient,
        line as source_line,
        text,

    from source

)

select * from final
