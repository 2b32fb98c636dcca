{#- Deterministic, readable identifiers built from printed names. -#}

{#- lowercase ascii words joined by '-': "Entrée Gold Inc." -> "entree-gold-inc" -#}
{% macro slugify(expr) -%}
    nullif(
        trim(
            regexp_replace(
                replace(lower(strip_accents(trim({{ expr }}))), '&', ' and '),
                '[^a-z0-9]+', '-', 'g'
            ),
            '-'
        ),
        ''
    )
{%- endmacro %}

{#- company_id: the slug of the name without legal-form suffixes, so "Entree Gold Inc." and
    "ENTREE GOLD INC" and "Entrée Gold Corp" are one company. -#}
{% macro company_id(expr) -%}
    coalesce(
        nullif(
            regexp_replace(
                {{ slugify(expr) }},
                '^the-|(-(inc|incorporated|corp|corporation|ltd|limited|llc|plc|co|company|sa|ag|nv|lp|llp|pty|se))+$',
                '',
                'g'
            ),
            ''
        ),
        {{ slugify(expr) }}
    )
{%- endmacro %}

{#- property name key: the slug of the printed name. -#}
{% macro property_key(expr) -%}
    {{ slugify(expr) }}
{%- endmacro %}

{#- looser key for matching deposit/zone names to properties: generic trailing words
    ("project", "deposit", ...) dropped, with a commodity word before them, so "Hugo North
    Deposit" finds "Hugo North" and "Emu Gold Mine" finds "Emu". -#}
{% macro property_match_key(expr) -%}
    nullif(
        regexp_replace(
            {{ slugify(expr) }},
            '(-(gold|copper|silver|zinc|nickel|lead|uranium|lithium|iron|polymetallic))*(-(project|projects|property|properties|deposit|deposits|mine|mines|zone|zones|licence|license|joint-venture|jv|claims))+$',
            '',
            'g'
        ),
        ''
    )
{%- endmacro %}

{% macro property_id(company_id_expr, name_expr) -%}
    case
        when {{ company_id_expr }} is not null and {{ property_key(name_expr) }} is not null
            then {{ company_id_expr }} || '/' || {{ property_key(name_expr) }}
    end
{%- endmacro %}
