-- incremental per company: config in dbt_project.yml, shared CTEs in macros/incremental.sql
with

{{ company_batch_filings() }},

operating as (

    select filing_id, fact_index from {{ ref('stg_raw__operating_results') }}
    where fact_index is not null

),

facts as (

    -- an operating figure read from a table ("Gold produced (oz)") is published in
    -- fct_operating_results, not as a financial line item
    select * from {{ ref('stg_raw__facts') }} as f
    where not exists (
        select 1 from operating
        where operating.filing_id = f.filing_id and operating.fact_index = f.fact_index
    )

),

joined as (

    select
        facts.*,
        batch_filings.company_id,
        batch_filings.company_signature,
        batch_filings.is_current_version,
        batch_filings.filed_order,
        batch_filings.fiscal_year_end_month,

    from facts
    inner join batch_filings
        on facts.filing_id = batch_filings.filing_id

),

latest as (

    -- one value per company/concept/period is the latest: the most recently filed current
    -- version wins; within a filing the first printed occurrence
    select
        *,
        coalesce(
            is_current_version
            and period_id is not null
            and row_number() over (
                partition by company_id, concept, period_id, is_current_version and period_id is not null
                order by filed_order desc, fact_index
            ) = 1,
            false
        ) as is_latest,

    from joined

),

per_filing as (

    -- a filing's own value for a concept/period (its first occurrence), to compare filings
    select
        company_id,
        concept,
        period_id,
        filing_id,
        filed_order,
        arg_min(value, fact_index) as value,
        arg_min(scale, fact_index) as scale,

    from joined
    where is_current_version and period_id is not null
    group by company_id, concept, period_id, filing_id, filed_order

),

compared as (

    select
        *,
        lag(value) over by_filing as previous_value,
        lag(filing_id) over by_filing as previous_filing_id,
        lag(scale) over by_filing as previous_scale,

    from per_filing
    window by_filing as (partition by company_id, concept, period_id order by filed_order)

),

restated as (

    -- a value printed in thousands is rounded: a difference within half of the coarser
    -- scale is rounding, not a restatement
    select
        company_id,
        concept,
        period_id,
        filing_id,
        previous_value,
        previous_filing_id,
        previous_filing_id is not null
            and abs(value - previous_value) > case
                when greatest(scale, previous_scale) > 1 then 0.5 * greatest(scale, previous_scale)
                else 1e-9 * greatest(1.0, abs(value), abs(previous_value))
            end
            as is_restated,

    from compared

),

final as (

    select
        md5(latest.filing_id || '|' || cast(latest.fact_index as varchar)) as fact_id,
        latest.filing_id,
        latest.fact_index,
        latest.company_id,
        latest.period_id,
        latest.period_start,
        latest.period_end,
        latest.months,
        {{ fiscal_year('latest.period_end', 'latest.fiscal_year_end_month') }} as fiscal_year,
        {{ fiscal_quarter('latest.period_end', 'latest.months', 'latest.fiscal_year_end_month') }}
            as fiscal_quarter,
        latest.section,
        latest.concept as line_item,
        latest.label,
        latest.value,
        latest.reported_value,
        latest.unit,
        latest.scale,
        latest.is_total,
        latest.is_latest,
        restated.is_restated,
        restated.previous_value,
        restated.previous_filing_id,
        latest.is_current_version,
        latest.table_index,
        latest.column_key,
        latest.source_line,
        latest.source_page,
        latest.company_signature,
        '{{ invocation_id }}' as built_by_invocation_id,

    from latest
    left join restated
        on latest.company_id = restated.company_id
        and latest.concept = restated.concept
        and latest.period_id = restated.period_id
        and latest.filing_id = restated.filing_id

)

select * from final
