#!/usr/bin/env bash
# Synthesizes every stack with the example config into a temporary directory and lints the templates
# with cfn-lint when it is installed. W3005 (redundant DependsOn) is the one rule CDK always trips.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint: skipped (cfn-lint is not on PATH; install it with 'pip install cfn-lint')"
  exit 0
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if ! npx cdk synth --quiet --context config=config/example.json --output "$out" >"$out/synth.log" 2>&1; then
  cat "$out/synth.log" >&2
  exit 1
fi
shopt -s nullglob
templates=("$out"/*.template.json)
if [ "${#templates[@]}" -eq 0 ]; then
  echo "cfn-lint: no templates were synthesized" >&2
  exit 1
fi
cfn-lint --ignore-checks W3005 -- "${templates[@]}"
echo "cfn-lint: ${#templates[@]} templates, no errors"

# A generated fleet (200 instances, 50 accounts, 3 Regions): the pipeline template, whose state machine
# carries the groups, and one client account's.
fleet="$out/fleet"
mkdir -p "$fleet"
npm run -s fleet-config -- --instances 200 --accounts 50 --regions 3 >"$fleet/config.json"
if ! npx cdk synth --quiet --context config="$fleet/config.json" --output "$fleet/out" >"$fleet/synth.log" 2>&1; then
  cat "$fleet/synth.log" >&2
  exit 1
fi
cfn-lint --ignore-checks W3005 -- "$fleet/out"/*-Pipeline.template.json "$fleet/out"/*-Reporting.template.json \
  "$fleet/out"/*-ClientAccess-100000000001.template.json
echo "cfn-lint: fleet of 200 instances in 50 accounts, $(ls "$fleet/out"/*.template.json | wc -l) templates synthesized, pipeline, reporting (row-level security) and a client template lint clean"
# The same fleet with its client roles rolled out by a StackSet over an OU: the StackSet stack, and the
# template it deploys to each account.
node -e 'const f=process.argv[1];const c=JSON.parse(require("fs").readFileSync(f,"utf8"));c.clientRollout={organizationalUnitIds:["ou-ab12-cdef3456"],adminAccount:"999999999999"};require("fs").writeFileSync(f,JSON.stringify(c))' "$fleet/config.json"
if ! npx cdk synth --quiet --context config="$fleet/config.json" --output "$fleet/rollout" >"$fleet/synth.log" 2>&1; then
  cat "$fleet/synth.log" >&2
  exit 1
fi
node -e 'const t=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const r of Object.values(t.Resources))if(r.Type==="AWS::CloudFormation::StackSet")process.stdout.write(r.Properties.TemplateBody)' \
  "$fleet/rollout"/*-ClientAccessStackSet.template.json >"$fleet/client-role.template.json"
cfn-lint --ignore-checks W3005 -- "$fleet/rollout"/*-ClientAccessStackSet.template.json "$fleet/client-role.template.json"
echo "cfn-lint: the client-role StackSet and the template it deploys lint clean"
