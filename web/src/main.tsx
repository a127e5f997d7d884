import { render } from 'preact';
import { App } from './App.tsx';
import { lang } from './i18n.ts';
import './styles.css';

document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
render(<App />, document.getElementById('app')!);
