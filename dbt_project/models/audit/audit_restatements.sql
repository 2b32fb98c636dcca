-- A later filing's value for the same company, line item and period against the value the
-- company filed before (int_facts_ranked's comparison, among parsed current versions). A
-- difference beyond the coarser printing's half unit is a restatement: worth a warning, the
-- filing may say why (bi.restatements lists them, judged by the printed scale).
with

ranked as (

    select * from {{ ref('int_facts_ranked') }}
    where previous_filing_id is not null

),

first_per_filing as (

    -- a filing printing a concept twice for one period is compared once (first occurrence)
    select * from ranked
    qualify row_number() over (
        partition by filing_id, company_id, line_item, period_id
        order by fact_index
    ) = 1

),

facts as (

    select * from {{ ref('stg_raw__facts') }}

),

previous as (

    select filing_id, company_id, line_item, period_id, fact_index, value, scale, source_line
    from {{ ref('int_facts_ranked') }}
    qualify row_number() over (
        partition by filing_id, company_id, line_item, period_id
        order by fact_index
    ) = 1

),

compared as (

    select
        first_per_filing.*,
        previous.source_line as previous_line,
        previous_filing.source_file as previous_source_file,
        -- two printings of one amount differ by at most the coarser one's rounding: half its
        -- last digit (500 for "1,090" in thousands), never the sum of both
        greatest(
            {{ half_unit('new_fact.half_unit', 'first_per_filing.value') }},
            {{ half_unit('previous_fact.half_unit', 'previous.value') }}
        ) as tolerance,
    from first_per_filing
    left join facts as new_fact
        on new_fact.filing_id = first_per_filing.filing_id
        and new_fact.fact_index = first_per_filing.fact_index
    left join previous
        on previous.filing_id = first_per_filing.previous_filing_id
        and previous.company_id = first_per_filing.company_id
        and previous.line_item = first_per_filing.line_item
        and previous.period_id = first_per_filing.period_id
    left join facts as previous_fact
        on previous_fact.filing_id = previous.filing_id
        and previous_fact.fact_index = previous.fact_index
    left join {{ ref('stg_raw__filings') }} as previous_filing
        on previous_filing.filing_id = first_per_filing.previous_filing_id

),

instances as (

    select
        'restatement' as check_name,
        filing_id,
        line_item || '|' || period_id as subject_key,
        {{ table_ref('table_index') }} || ' ''' || coalesce(label, line_item) || ''' (' || line_item
            || '), ' || period_id || ' vs the previous filing' as subject,
        table_index,
        source_line,
        previous_value as expected,
        value as observed,
        tolerance,
        unit,
        previous_value - tolerance as lower_bound,
        previous_value + tolerance as upper_bound,
        'now ' || {{ fmt('value', 2) }} || ', previously ' || {{ fmt('previous_value', 2) }}
            || ' in ' || coalesce(previous_source_file, previous_filing_id)
            || coalesce(' line ' || cast(previous_line as varchar), '')
            || ', difference ' || {{ fmt('value - previous_value', 2) }} as detail,
    from compared

),

final as (

    {{ audit_select('instances', 'across_filings', 'warn') }}

)

select * from final
