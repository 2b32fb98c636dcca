{#- A model's custom schema is used as is (`marts`, not `main_marts`): BI users and the
    publish step see the schema names the contract promises. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
