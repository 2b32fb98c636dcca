with

inventory as (

    select * from {{ ref('mineral_inventory') }}

),

properties as (

    select * from {{ ref('dim_property') }}

),

interests as (

    -- a deposit without its own interest inherits its parent's, then its grandparent's
    select
        property.property_id,
        coalesce(property.interest_pct, parent.interest_pct, grandparent.interest_pct)
            as interest_pct,
        case
            when property.interest_pct is not null then property.property_id
            when parent.interest_pct is not null then parent.property_id
            when grandparent.interest_pct is not null then grandparent.property_id
        end as interest_property_id,

    from properties as property
    left join properties as parent
        on property.parent_property_id = parent.property_id
    left join properties as grandparent
        on parent.parent_property_id = grandparent.property_id

),

final as (

    select
        inventory.estimate_id,
        inventory.company_id,
        inventory.company_name,
        inventory.filing_id,
        inventory.property_id,
        inventory.property_name,
        inventory.deposit,
        inventory.zone,
        inventory.category,
        inventory.is_reserve,
        inventory.is_subtotal,
        inventory.effective_date,
        interests.interest_pct,
        interests.interest_property_id,
        inventory.tonnage_mt,
        inventory.tonnage_mt * interests.interest_pct / 100 as attributable_tonnage_mt,
        inventory.cu_mlb * interests.interest_pct / 100 as attributable_cu_mlb,
        inventory.au_moz * interests.interest_pct / 100 as attributable_au_moz,
        inventory.ag_moz * interests.interest_pct / 100 as attributable_ag_moz,
        inventory.mo_mlb * interests.interest_pct / 100 as attributable_mo_mlb,

    from inventory
    left join interests
        on inventory.property_id = interests.property_id

)

select * from final
