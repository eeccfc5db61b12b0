/**
 * The shell side of completion, as kubectl's: each script hands the words typed so far to
 * `inc __complete`, which prints one candidate a line. Values that end in "=" take no trailing space.
 */
const BASH = `# bash completion for inc; load with: source <(inc completion bash)
_inc_complete() {
  local line="\${COMP_LINE:0:COMP_POINT}"
  local -a words
  read -r -a words <<< "$line"
  [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  local cur="\${words[\${#words[@]}-1]}"
  local IFS=$'\\n'
  local -a candidates
  candidates=($("\${words[0]}" __complete "\${words[@]:1}" 2>/dev/null))
  # bash splits the word at = and : and replaces only what follows the last of them.
  local head="\${cur%"\${cur##*[=:]}"}"
  COMPREPLY=()
  local candidate
  for candidate in "\${candidates[@]}"; do COMPREPLY+=("\${candidate#"$head"}"); done
  if [[ \${#COMPREPLY[@]} -eq 1 && "\${COMPREPLY[0]}" == *= ]]; then compopt -o nospace 2>/dev/null; fi
}
complete -o default -F _inc_complete inc kubectl-inc
`;

const ZSH = `#compdef inc kubectl-inc
# zsh completion for inc; load with: source <(inc completion zsh)
_inc() {
  local -a candidates takes_value plain
  candidates=("\${(@f)$(\${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} == 0 )); then
    _files
    return
  fi
  takes_value=(\${(M)candidates:#*=})
  plain=(\${candidates:#*=})
  (( \${#takes_value} )) && compadd -Q -S '' -- "\${takes_value[@]}"
  (( \${#plain} )) && compadd -Q -- "\${plain[@]}"
}
if (( $+functions[compdef] )); then compdef _inc inc kubectl-inc; fi
`;

const FISH = `# fish completion for inc; load with: inc completion fish | source
function __inc_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    $tokens[1] __complete $tokens[2..-1] $current 2>/dev/null
end
complete -c inc -f -a '(__inc_complete)'
complete -c kubectl-inc -f -a '(__inc_complete)'
`;

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

export function completionScript(shell: CompletionShell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
