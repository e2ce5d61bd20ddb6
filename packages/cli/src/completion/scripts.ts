// Shell glue for `micro completion <shell>`: each script hands the words typed so far to the hidden
// `micro __complete` and offers what it prints, so commands, flags, plugin names, service names and
// endpoints complete from one implementation (completions.ts) instead of three hand-kept lists.

const bash = `# micro completion for bash: source <(micro completion bash)
_micro_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(micro __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _micro_complete micro
`;

const zsh = `#compdef micro
# micro completion for zsh: source <(micro completion zsh)
_micro() {
  local -a candidates
  candidates=("\${(@f)$(micro __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -- \${candidates}
}
compdef _micro micro
`;

const fish = `# micro completion for fish: micro completion fish | source
function __micro_complete
  set -l words (commandline -opc)
  set -e words[1]
  micro __complete $words (commandline -ct) 2>/dev/null
end
complete -c micro -f -a '(__micro_complete)'
`;

export const SHELLS = { bash, zsh, fish } as const;
export type Shell = keyof typeof SHELLS;
