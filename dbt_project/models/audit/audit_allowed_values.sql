-- The values the warehouse accepts (the var allowed_values of dbt_project.yml), one row per
-- domain and value, so a user of the published file can see what the allowed_values check
-- and the marts' tests accept.
{%- set allowed = allowed_values() %}
with

final as (

    {% for domain, values in allowed.items() -%}
    {% for v in values -%}
    select '{{ domain }}' as domain, '{{ v }}' as value, 'value' as kind
    union all
    {% endfor -%}
    {% endfor -%}
    select 'fact_unit' as domain, '{{ fact_unit_pattern() }}' as value, 'pattern' as kind

)

select * from final
