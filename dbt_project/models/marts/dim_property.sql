with

filings as (

    select * from {{ ref('int_filings_versioned') }}
    where status = 'parsed' and company_id is not null

),

properties as (

    select * from {{ ref('stg_raw__properties') }}

),

mentions as (

    select
        filings.company_id,
        {{ property_id('filings.company_id', 'properties.property_name') }} as property_id,
        properties.property_name,
        properties.property_kind,
        properties.parent_name,
        {{ property_id('filings.company_id', 'properties.parent_name') }} as parent_property_id,
        properties.country,
        properties.region,
        properties.interest_pct,
        properties.hectares,
        properties.claims,
        properties.filing_id,
        properties.source_line,
        -- current versions outrank superseded ones, then the most recently filed
        (case when filings.is_current_version then 1000000 else 0 end) + filings.filed_order
            as recency,

    from properties
    inner join filings
        on properties.filing_id = filings.filing_id
    where properties.property_key is not null

),

parents_only as (

    -- a parent named only as a parent is still a property of the company
    select
        company_id,
        parent_property_id as property_id,
        parent_name as property_name,
        cast(null as varchar) as property_kind,
        cast(null as varchar) as parent_name,
        cast(null as varchar) as parent_property_id,
        cast(null as varchar) as country,
        cast(null as varchar) as region,
        cast(null as double) as interest_pct,
        cast(null as double) as hectares,
        cast(null as integer) as claims,
        filing_id,
        source_line,
        recency - 2000000 as recency,

    from mentions
    where parent_property_id is not null
        and parent_property_id not in (select property_id from mentions)

),

all_mentions as (

    select * from mentions
    union all
    select * from parents_only

),

deduplicated as (

    -- each attribute from the latest filing that states it
    select
        property_id,
        any_value(company_id) as company_id,
        arg_max(property_name, recency) as property_name,
        arg_max(property_kind, recency) filter (where property_kind is not null) as property_kind,
        arg_max(parent_property_id, recency) filter (where parent_property_id is not null)
            as parent_property_id,
        arg_max(country, recency) filter (where country is not null) as country,
        arg_max(region, recency) filter (where region is not null) as region,
        arg_max(interest_pct, recency) filter (where interest_pct is not null) as interest_pct,
        arg_max(hectares, recency) filter (where hectares is not null) as hectares,
        arg_max(claims, recency) filter (where claims is not null) as claims,
        arg_max(filing_id, recency) as last_filing_id,
        arg_min(filing_id, recency) as first_filing_id,
        count(distinct filing_id) as filing_count,

    from all_mentions
    group by property_id

),

final as (

    select
        property_id,
        company_id,
        property_name,
        {{ property_match_key('property_name') }} as match_key,
        -- a property is never its own parent (a "X Project" listing "X" as parent)
        case when parent_property_id <> property_id then parent_property_id end
            as parent_property_id,
        property_kind,
        country,
        region,
        interest_pct,
        hectares,
        claims,
        first_filing_id,
        last_filing_id,
        filing_count,

    from deduplicated

)

select * from final
