with

source as (

    select * from {{ source('raw', 'estimates') }}

),

final as (

    select
        filing_id,
        estimate_index,
        md5(filing_id || '|' || cast(estimate_index as varchar)) as estimate_id,
        nullif(trim(deposit), '') as deposit,
        nullif(trim(zone), '') as zone,
        -- one spelling per category: "Measured & Indicated" -> measured_indicated
        case
            when regexp_replace(lower(trim(category)), '[^a-z]+', '_', 'g')
                in ('measured_and_indicated', 'measured_indicated', 'm_i')
                then 'measured_indicated'
            when regexp_replace(lower(trim(category)), '[^a-z]+', '_', 'g')
                in ('proven_and_probable', 'proven_probable', 'p_p')
                then 'proven_probable'
            else trim(regexp_replace(lower(trim(category)), '[^a-z]+', '_', 'g'), '_')
        end as category,
        is_reserve,
        coalesce(is_subtotal, false) as is_subtotal,
        cutoff_value,
        cutoff_unit,
        effective_date,
        tonnage_mt,
        reported_tonnage,
        reported_tonnage_unit,
        tonnage_half_unit,
        table_index,
        line as source_line,
        page as source_page,
        -- "table" for a row of a resource table, "text" for a statement read from prose
        coalesce(source, 'table') as read_from,
        coalesce(historical, false) as is_historical,
        label,
        other as other_json,

    from source

)

select * from final
