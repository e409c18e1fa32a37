// Runs in <head> before the first paint (a classic script, so it blocks): applies the theme the user chose last, so a
// dark page never flashes light. Without a choice, style.css follows prefers-color-scheme. app.js owns the toggle.
(function applyStoredTheme() {
  try {
    var theme = localStorage.getItem('ecr-console-theme');
    if (theme === 'dark' || theme === 'light') document.documentElement.setAttribute('data-theme', theme);
  } catch (error) {
    // Storage refused: the system's preference applies.
  }
})();
