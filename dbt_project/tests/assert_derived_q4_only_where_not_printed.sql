-- a derived Q4 never sits beside a printed one, has no source line and is a 3-month amount
with

facts as (

    select * from {{ ref('fct_financial_facts') }}

),

derived as (

    select * from facts where is_derived

),

printed as (

    select * from facts where not is_derived and months = 3 and is_current_version

),

final as (

    select derived.fact_id, 'printed Q4 exists' as problem
    from derived
    inner join printed
        on derived.company_id = printed.company_id
        and derived.line_item = printed.line_item
        and derived.period_end = printed.period_end
    union all
    select fact_id, 'not a clean derived row' as problem
    from derived
    where source_line is not null or months <> 3 or not is_latest

)

select * from final
