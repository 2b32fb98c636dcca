with

source as (

    select * from {{ source('raw', 'estimate_grades') }}

),

symbols as (

    select
        *,
        {{ commodity_symbol("regexp_replace(trim(commodity), '[\\s_\\-]+', '', 'g')") }} as commodity_symbol,

    from source

),

factors as (

    select
        *,
        {{ commodity_class('commodity_symbol') }} as commodity_class,
        {{ is_precious('commodity_symbol') }} as is_precious,
        {{ grade_factor('grade_unit', commodity_class('commodity_symbol')) }} as grade_factor,
        {{ contained_factor('contained_unit', commodity_class('commodity_symbol')) }}
            as contained_factor,

    from symbols

),

final as (

    -- a grade or contained amount in a unit we cannot convert keeps its value and unit, so
    -- nothing is silently rescaled (the accepted_values test on the unit flags it); a
    -- converted one is rounded to 9 decimals so 350 koz is 0.35 Moz, not 0.35000000000000003
    select
        filing_id,
        estimate_index,
        md5(filing_id || '|' || cast(estimate_index as varchar)) as estimate_id,
        commodity_symbol as commodity,
        commodity_class,
        is_precious,
        case
            when grade_factor is null or grade_factor = 1 then grade
            else round(grade * grade_factor, 9)
        end as grade,
        case
            when grade is null then grade_unit
            when grade_factor is null then grade_unit
            when is_precious then 'g/t'
            else '%'
        end as grade_unit,
        case
            when contained_factor is null or contained_factor = 1 then contained
            else round(contained * contained_factor, 9)
        end as contained,
        case
            when contained is null then contained_unit
            when contained_factor is null then contained_unit
            when commodity_class = 'precious' then 'Moz'
            when commodity_class = 'bulk' then 'Mt'
            else 'Mlb'
        end as contained_unit,
        -- half units follow their value into the normalised unit
        case
            when grade_factor is null or grade_factor = 1 then grade_half_unit
            else grade_half_unit * grade_factor
        end as grade_half_unit,
        case
            when contained_factor is null or contained_factor = 1 then contained_half_unit
            else contained_half_unit * contained_factor
        end as contained_half_unit,
        reported_grade,
        reported_grade_unit,
        reported_contained,
        reported_contained_unit,

    from factors

)

select * from final
