-- A number stated in prose against the table figure for the same concept, period and unit
-- of the same filing. Prose is often coarser ("A$31.2 million"), so the tolerance is the
-- prose half unit plus the table's. When several table figures share the key, the prose is
-- judged against the closest one.
with

narrative as (

    select * from {{ ref('stg_raw__narrative_facts') }}
    where value is not null and period_end is not null

),

facts as (

    select * from {{ ref('stg_raw__facts') }}

),

candidates as (

    select
        narrative.filing_id,
        narrative.fact_index,
        narrative.concept,
        narrative.unit,
        narrative.months,
        narrative.period_end,
        narrative.source_line,
        narrative.value as prose_value,
        {{ half_unit('narrative.half_unit', 'narrative.value') }} as prose_hu,
        facts.value as table_value,
        {{ half_unit('facts.half_unit', 'facts.value') }} as table_hu,
        facts.table_index,
        facts.source_line as table_line,
        facts.label as table_label,
    from narrative
    inner join facts
        on narrative.filing_id = facts.filing_id
        and narrative.concept = facts.concept
        and narrative.period_end = facts.period_end
        and narrative.months = facts.months
        and narrative.unit = facts.unit
    qualify row_number() over (
        partition by narrative.filing_id, narrative.fact_index
        order by abs(narrative.value - facts.value), facts.fact_index
    ) = 1

),

instances as (

    select
        'narrative_matches_table' as check_name,
        filing_id,
        cast(fact_index as varchar) as subject_key,
        'Prose at line ' || cast(source_line as varchar) || ' ' || concept || ' '
            || {{ period_id('period_end', 'months') }} || ' vs ' || {{ table_ref('table_index') }}
            || ' ''' || coalesce(table_label, '') || '''' as subject,
        table_index,
        source_line,
        table_value as expected,
        prose_value as observed,
        prose_hu + table_hu as tolerance,
        unit,
        table_value - prose_hu - table_hu as lower_bound,
        table_value + prose_hu + table_hu as upper_bound,
        'prose ' || {{ fmt('prose_value', 4) }} || ' vs table ' || {{ fmt('table_value', 4) }}
            || ' at line ' || cast(table_line as varchar) as detail,
    from candidates

),

final as (

    {{ audit_select('instances', 'narrative', 'warn') }}

)

select * from final
