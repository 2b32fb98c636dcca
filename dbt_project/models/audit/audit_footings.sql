-- The parser's footings (raw.footings): each total row against the sum of its components,
-- per numeric column, with the half units of every figure as tolerance.
with

footings as (

    select * from {{ ref('stg_raw__footings') }}

),

instances as (

    select
        'footing' as check_name,
        filing_id,
        cast(table_index as varchar) || '|' || cast(source_line as varchar) || '|' || column_key
            as subject_key,
        {{ table_ref('table_index') }} || ' ''' || coalesce(label, '(unlabeled total)') || ''', column '
            || column_key as subject,
        table_index,
        source_line,
        expected,
        observed,
        tolerance,
        unit,
        expected - tolerance as lower_bound,
        expected + tolerance as upper_bound,
        kind || ' of ' || cast(terms as varchar) || ' components at lines '
            || coalesce(array_to_string(from_json(component_lines_json, '["INTEGER"]'), ', '), '?')
            || ', difference ' || {{ fmt('observed - expected', 2) }} as detail,
    from footings

),

final as (

    {{ audit_select('instances', 'footing', 'warn') }}

)

select * from final
