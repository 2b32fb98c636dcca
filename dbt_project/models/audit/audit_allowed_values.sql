-- The value sets of the allowed_values check (macros/audit.sql), as a table for the Great
-- Expectations suites to read, so both judge the same sets.
{%- set allowed = allowed_values() %}
with

final as (

    {% for domain, values in allowed.items() -%}
    {% for v in values -%}
    select '{{ domain }}' as domain, '{{ v }}' as value, 'value' as kind
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}
    union all
    {% endfor -%}
    select 'fact_unit' as domain, '{{ fact_unit_pattern() }}' as value, 'pattern' as kind

)

select * from final
