import streamlit as st

from ui import state

st.title("6_qualite")
st.write(state.selection().filters)
