-- incremental per company: config in dbt_project.yml, shared CTEs in macros/incremental.sql
with

{{ company_batch_filings() }},

ranked_facts as (

    select * from {{ ref('int_facts_ranked') }}

),

reported as (

    select
        * replace ('{{ invocation_id }}' as built_by_invocation_id),
        false as is_derived,
        cast(null as varchar) as derived_from_annual_fact_id,
        cast(null as varchar) as derived_from_nine_months_fact_id,

    from ranked_facts
    where company_id in (select company_id from batch)

),

latest_flows as (

    -- only amounts in a currency add up: per-share figures and share counts do not
    select *
    from reported
    where is_latest
        and months in (9, 12)
        and regexp_full_match(unit, '[A-Z]{3}')

),

reported_q4s as (

    select distinct
        company_id,
        line_item,
        period_end,

    from reported
    where months = 3 and is_current_version

),

derived_q4s as (

    -- Q4 = annual - nine months, where the company never printed that quarter itself
    select
        md5('derived-q4|' || annual.company_id || '|' || annual.line_item || '|' || annual.period_id)
            as fact_id,
        annual.filing_id,
        cast(null as integer) as fact_index,
        annual.company_id,
        {{ period_id('annual.period_end', '3') }} as period_id,
        cast(nine_months.period_end + interval 1 day as date) as period_start,
        annual.period_end,
        3 as months,
        annual.fiscal_year,
        {{ fiscal_quarter('annual.period_end', '3', 'filings.fiscal_year_end_month') }}
            as fiscal_quarter,
        annual.section,
        annual.line_item,
        annual.label,
        annual.value - nine_months.value as value,
        -- tables print signs differently (one shows a tax recovery in brackets, another not),
        -- so the derived amount is shown in the annual's printed sign, not as a difference of
        -- printed amounts
        (annual.value - nine_months.value) * case
            when annual.value <> 0 and annual.reported_value <> 0
                then sign(annual.value * annual.reported_value)
            when nine_months.value <> 0 and nine_months.reported_value <> 0
                then sign(nine_months.value * nine_months.reported_value)
            else 1
        end as reported_value,
        annual.unit,
        greatest(annual.scale, nine_months.scale) as scale,
        annual.is_total,
        true as is_latest,
        false as is_restated,
        cast(null as double) as previous_value,
        cast(null as varchar) as previous_filing_id,
        true as is_current_version,
        cast(null as integer) as table_index,
        cast(null as varchar) as column_key,
        cast(null as integer) as source_line,
        cast(null as integer) as source_page,
        annual.company_signature,
        '{{ invocation_id }}' as built_by_invocation_id,
        true as is_derived,
        annual.fact_id as derived_from_annual_fact_id,
        nine_months.fact_id as derived_from_nine_months_fact_id,

    from latest_flows as annual
    inner join latest_flows as nine_months
        on annual.company_id = nine_months.company_id
        and annual.line_item = nine_months.line_item
        and annual.unit = nine_months.unit
        and nine_months.months = 9
        and date_diff('month', nine_months.period_end, annual.period_end) = 3
        and annual.period_start = nine_months.period_start
    inner join filings
        on annual.filing_id = filings.filing_id
    where annual.months = 12
        and not exists (
            select 1
            from reported_q4s
            where reported_q4s.company_id = annual.company_id
                and reported_q4s.line_item = annual.line_item
                and reported_q4s.period_end = annual.period_end
        )

),

final as (

    select * from reported
    union all by name
    select * from derived_q4s

)

select * from final
