-- A producer's operating figures, one row per printed figure (table cell or sentence), with
-- the mine it is about (null: the company's consolidated figure).
with

filings as (

    select * from {{ ref('int_filings_versioned') }}
    where status = 'parsed' and company_id is not null

),

results as (

    select * from {{ ref('stg_raw__operating_results') }}

),

properties as (

    select * from {{ ref('dim_property') }}

),

property_aliases as (

    {{ property_aliases('properties') }}

),

joined as (

    select
        results.*,
        filings.company_id,
        filings.is_current_version,
        filings.filed_order,
        filings.fiscal_year_end_month,

    from results
    inner join filings
        on results.filing_id = filings.filing_id

),

ranked as (

    -- the latest of a figure: the most recently filed current version; a table's figure
    -- before a sentence's, then the first printed
    select
        *,
        coalesce(
            is_current_version
            and period_id is not null
            and row_number() over (
                partition by
                    company_id, coalesce(property_name, ''), metric, coalesce(commodity, ''), unit,
                    period_id, is_current_version and period_id is not null
                order by filed_order desc, extracted_from = 'text', result_index
            ) = 1,
            false
        ) as is_latest,

    from joined

),

final as (

    select
        md5(ranked.filing_id || '|op|' || cast(ranked.result_index as varchar)) as operating_result_id,
        ranked.filing_id,
        ranked.company_id,
        coalesce(mine_exact.property_id, mine_loose.property_id) as property_id,
        ranked.property_name,
        ranked.scope,
        ranked.period_id,
        ranked.period_start,
        ranked.period_end,
        ranked.months,
        {{ fiscal_year('ranked.period_end', 'ranked.fiscal_year_end_month') }} as fiscal_year,
        {{ fiscal_quarter('ranked.period_end', 'ranked.months', 'ranked.fiscal_year_end_month') }}
            as fiscal_quarter,
        ranked.metric,
        ranked.commodity,
        ranked.value,
        ranked.unit,
        ranked.value_as_printed,
        ranked.half_unit,
        ranked.label,
        ranked.basis,
        ranked.extracted_from,
        ranked.table_index,
        ranked.column_key,
        ranked.source_line,
        ranked.source_page,
        ranked.result_index,
        ranked.is_latest,
        ranked.is_current_version,

    from ranked
    {{ join_property_alias('property_aliases', 'mine', 'ranked.company_id', 'ranked.property_name') }}

)

select * from final
